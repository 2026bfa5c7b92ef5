#!/usr/bin/env node
// Runs the CLI from its TypeScript sources: tsx compiles them on first use and caches the result.
import { register } from 'tsx/esm/api'

// Output piped into `head` that stops reading is not an error.
process.stdout.on('error', (error) => (error.code === 'EPIPE' ? process.exit(0) : Promise.reject(error)))
register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
