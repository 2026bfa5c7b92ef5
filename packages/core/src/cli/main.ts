import { XclusterError } from '../errors.js'
import { localHost } from '../host/host.js'
import type { Command, CommandInput } from './command.js'
import { envCommand } from './commands/env.js'
import { imageCommand } from './commands/image.js'
import { initCommand } from './commands/init.js'
import { mkcdromCommand } from './commands/mkcdrom.js'
import { rcpCommand } from './commands/rcp.js'
import { rshCommand } from './commands/rsh.js'
import { scaleinCommand } from './commands/scalein.js'
import { scaleoutCommand } from './commands/scaleout.js'
import { startCommand } from './commands/start.js'
import { statusCommand } from './commands/status.js'
import { stopCommand } from './commands/stop.js'
import { vmCommand } from './commands/vm.js'
import { commandPackages, packageCommand } from './package-commands.js'
import type { PluginPackage } from '../lifecycle/plugin-packages.js'
import { optionsAmongArgs, parseCommandLine } from './parse.js'
import { didYouMean } from '../config/suggest.js'

const COMMANDS: Command[] = [
  startCommand, stopCommand, statusCommand, scaleoutCommand, scaleinCommand,
  vmCommand, rshCommand, rcpCommand, mkcdromCommand, imageCommand, envCommand, initCommand,
]

function usage(packages: PluginPackage[]): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const fromPackages = packages.flatMap((pkg) => (pkg.manifest.commands ?? []).map((name) => `${name} (${pkg.name})`))
  return `Usage: xcluster <command> [--option=value]... [args]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

From installed packages: ${fromPackages.join(', ') || 'none'}

\`xcluster <command> --help\` tells more.\n`
}

/** Runs one command line; returns the exit status. Errors go to stderr, never to stdout. */
export async function main(argv: string[], io: Pick<CommandInput, 'stdout' | 'stderr'> & { cwd?: string; env?: NodeJS.ProcessEnv } = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}): Promise<number> {
  const { command: name, options, args } = parseCommandLine(argv)
  const cwd = io.cwd ?? process.cwd()
  try {
    const input: CommandInput = { args, options, host: localHost(io.env ?? process.env), cwd, stdout: io.stdout, stderr: io.stderr }
    if (name === undefined || name === 'help') {
      ;(name === undefined && !options.help ? io.stderr : io.stdout)(usage(await commandPackages(input)))
      return name === undefined && !options.help ? 1 : 0
    }
    const core = COMMANDS.find((c) => c.name === name)
    const packages = core ? [] : await commandPackages(input)
    const command = core ?? (await packageCommand(name, packages, input))
    if (!command) {
      const known = [...COMMANDS.map((c) => c.name), ...packages.flatMap((pkg) => pkg.manifest.commands ?? [])]
      io.stderr(`xcluster: ${name} is not a command${didYouMean(name, known)}\n${usage(packages)}`)
      return 1
    }
    if (!command.verbatimArgs) input.args = optionsAmongArgs(args, options)
    if (options.help) {
      io.stdout(`${command.help}\n`)
      return 0
    }
    return await command.run(input)
  } catch (error) {
    // A user sees what went wrong in one line; XCLUSTER_DEBUG=1 shows where, for a bug report.
    const debug = !(error instanceof XclusterError) && (io.env ?? process.env).XCLUSTER_DEBUG
    io.stderr(`xcluster${name ? ` ${name}` : ''}: ${debug ? (error as Error).stack : error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
