#!/usr/bin/env node
// The embedded DNS service in this workspace, run from its TypeScript sources through tsx.
// The published package runs the JavaScript built from them (dist/server/main.js) instead.
// No compile cache: tsx keeps it in the shared temporary directory, where another user could plant code.
process.env.TSX_DISABLE_CACHE = '1'
const { register } = await import('tsx/esm/api')

register()
await import('../src/server/main.ts')
