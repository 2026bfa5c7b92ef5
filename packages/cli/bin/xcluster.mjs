#!/usr/bin/env node
// The CLI in this workspace, run from its TypeScript sources: tsx compiles them as they load.
// The published package runs the JavaScript built from them (dist/bin.js) instead.
// The program overlay tar scripts run as $XCLUSTER, as in the shell tool.
process.env.XCLUSTER ??= new URL(import.meta.url).pathname
await import('./register-sources.mjs')
await import('../src/bin.ts')
