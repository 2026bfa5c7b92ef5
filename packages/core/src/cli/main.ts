import { XclusterError } from '../errors.js'
import { hostFacts } from '../host/host-facts.js'
import type { Command, CommandInput } from './command.js'
import { envCommand } from './commands/env.js'
import { imageCommand } from './commands/image.js'
import { mkcdromCommand } from './commands/mkcdrom.js'
import { rcpCommand } from './commands/rcp.js'
import { rshCommand } from './commands/rsh.js'
import { scaleinCommand } from './commands/scalein.js'
import { scaleoutCommand } from './commands/scaleout.js'
import { startCommand } from './commands/start.js'
import { statusCommand } from './commands/status.js'
import { stopCommand } from './commands/stop.js'
import { vmCommand } from './commands/vm.js'
import { PACKAGE_COMMANDS, packageCommand } from './package-commands.js'
import { optionsAmongArgs, parseCommandLine } from './parse.js'
import { didYouMean } from '../config/suggest.js'

const COMMANDS: Command[] = [
  startCommand, stopCommand, statusCommand, scaleoutCommand, scaleinCommand,
  vmCommand, rshCommand, rcpCommand, mkcdromCommand, imageCommand, envCommand,
]

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return `Usage: xcluster <command> [--option=value]... [args]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

From packages: ${Object.entries(PACKAGE_COMMANDS).map(([name, pkg]) => `${name} (${pkg})`).join(', ')}

\`xcluster <command> --help\` tells more.\n`
}

/** Runs one command line; returns the exit status. Errors go to stderr, never to stdout. */
export async function main(argv: string[], io: Pick<CommandInput, 'stdout' | 'stderr'> & { cwd?: string; env?: NodeJS.ProcessEnv } = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}): Promise<number> {
  const { command: name, options, args } = parseCommandLine(argv)
  if (name === undefined || name === 'help') {
    ;(name === undefined && !options.help ? io.stderr : io.stdout)(usage())
    return name === undefined && !options.help ? 1 : 0
  }
  try {
    const input: CommandInput = { args, options, host: hostFacts(io.env ?? process.env), cwd: io.cwd ?? process.cwd(), stdout: io.stdout, stderr: io.stderr }
    const command = COMMANDS.find((c) => c.name === name) ?? (await packageCommand(name, input))
    if (!command) {
      io.stderr(`xcluster: ${name} is not a command${didYouMean(name, [...COMMANDS.map((c) => c.name), ...Object.keys(PACKAGE_COMMANDS)])}\n${usage()}`)
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
    io.stderr(`xcluster ${name}: ${debug ? (error as Error).stack : error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
