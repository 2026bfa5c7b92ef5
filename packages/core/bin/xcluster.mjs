#!/usr/bin/env node
// Runs the CLI from its TypeScript sources; jiti compiles them on first use and caches the result.
import { createJiti } from 'jiti'

const jiti = createJiti(import.meta.url)
const { main } = await jiti.import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
