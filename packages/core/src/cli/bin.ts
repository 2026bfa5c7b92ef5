#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { main } from './main.js'

// The program overlay tar scripts run as $XCLUSTER, as in the shell tool.
process.env.XCLUSTER ??= fileURLToPath(import.meta.url)

// Output piped into `head` that stops reading is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(0) : Promise.reject(error)))
process.exitCode = await main(process.argv.slice(2))
