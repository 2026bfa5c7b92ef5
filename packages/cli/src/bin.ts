#!/usr/bin/env -S node --conditions=built
// In the workspace, packages export their sources by default and their build under "built"; installed, the
// build is all there is and the condition changes nothing.
import { fileURLToPath } from 'node:url'
import { main } from './main.js'

// The program overlay tar scripts run as $XCLUSTER, as in the shell tool.
process.env.XCLUSTER ??= fileURLToPath(import.meta.url)

/**
 * This package's directory: its dependencies are the plugins of the default cluster (network backends, topologies,
 * DNS).
 */
const CLI_PACKAGE = fileURLToPath(new URL('..', import.meta.url))

// Output piped into `head` that stops reading is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) =>
  error.code === 'EPIPE' ? process.exit(0) : Promise.reject(error),
)
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  defaultPlugins: CLI_PACKAGE,
})
