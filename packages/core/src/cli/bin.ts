#!/usr/bin/env node
import { main } from './main.js'

// Output piped into `head` that stops reading is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : Promise.reject(error)))
process.exitCode = await main(process.argv.slice(2))
