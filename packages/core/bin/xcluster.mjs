#!/usr/bin/env node
// Runs the CLI from its TypeScript sources: tsx compiles them as they load.
// No compile cache: tsx keeps it in the shared temporary directory, where another user could plant code.
process.env.TSX_DISABLE_CACHE = '1'
const { register } = await import('tsx/esm/api')

// Output piped into `head` that stops reading is not an error.
process.stdout.on('error', (error) => (error.code === 'EPIPE' ? process.exit(0) : Promise.reject(error)))
register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
