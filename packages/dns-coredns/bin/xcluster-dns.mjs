#!/usr/bin/env node
// The embedded DNS service in this workspace, run from its TypeScript sources through tsx.
// The published package runs the JavaScript built from them (dist/server/main.js) instead.
await import('../../cli/bin/register-sources.mjs')
await import('../src/server/main.ts')
