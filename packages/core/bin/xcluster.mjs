#!/usr/bin/env node
// The CLI in this workspace, run from its TypeScript sources: tsx compiles them as they load.
// The published package runs the JavaScript built from them (dist/cli/bin.js) instead.
// No compile cache: tsx keeps it in the shared temporary directory, where another user could plant code.
process.env.TSX_DISABLE_CACHE = '1'
// The program overlay tar scripts run as $XCLUSTER, as in the shell tool.
process.env.XCLUSTER ??= new URL(import.meta.url).pathname
const { register } = await import('tsx/esm/api')

register()
await import('../src/cli/bin.ts')
