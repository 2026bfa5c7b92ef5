import { XclusterError } from '../errors.js'
import { localHost } from '../host/host.js'
import type { Command, CommandInput } from './command.js'
import { envCommand } from './commands/env.js'
import { imageCommand } from './commands/image.js'
import { kernelCommand } from './commands/kernel.js'
import { initCommand } from './commands/init.js'
import { mkcdromCommand } from './commands/mkcdrom.js'
import { rcpCommand } from './commands/rcp.js'
import { rshCommand } from './commands/rsh.js'
import { scaleinCommand } from './commands/scalein.js'
import { scaleoutCommand } from './commands/scaleout.js'
import { startCommand } from './commands/start.js'
import { statusCommand } from './commands/status.js'
import { stopCommand } from './commands/stop.js'
import { netemCommand } from './commands/netem.js'
import { tcpdumpCommand } from './commands/tcpdump.js'
import { vmCommand } from './commands/vm.js'
import { contVmCommand, resetVmCommand, stopVmCommand } from './commands/vm-control.js'
import { type HookModule, hookOf } from './hook-module.js'
import { commandPackages, packageCommand } from './package-commands.js'
import type { PluginPackage } from '../lifecycle/plugin-packages.js'
import { optionsAmongArgs, parseCommandLine } from './parse.js'
import { didYouMean } from '../config/suggest.js'

const COMMANDS: Command[] = [
  startCommand, stopCommand, statusCommand, scaleoutCommand, scaleinCommand,
  vmCommand, stopVmCommand, contVmCommand, resetVmCommand, rshCommand, tcpdumpCommand, netemCommand, rcpCommand, mkcdromCommand, imageCommand, kernelCommand, envCommand, initCommand,
]

function usage(packages: PluginPackage[], hook: HookModule | undefined): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const fromPackages = packages.flatMap((pkg) => (pkg.manifest.commands ?? []).map((name) => `${name} (${pkg.name})`))
  const fromHook = hook ? `\nFrom the hook ${hook.file}:\n${hook.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') || '  none'}\n` : ''
  return `Usage: xcluster <command> [--option=value]... [args]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
${fromHook}
From installed packages: ${fromPackages.join(', ') || 'none'}

\`xcluster <command> --help\` tells more.\n`
}

/** The hook module of this command line, its commands checked against core's names (core's would always win). */
async function hookCommands(input: CommandInput): Promise<HookModule | undefined> {
  const hook = await hookOf(input)
  const clash = hook?.commands.find((command) => COMMANDS.some((core) => core.name === command.name))
  if (clash) throw new XclusterError(`hook ${hook!.file}: command ${clash.name} is one of xcluster's own; give yours another name (mystart, say), or change what ${clash.name} does through the lifecycle hooks of a plugin`)
  return hook
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
      // A broken hook or config must not hide the help: it is named, and the usage still printed.
      const hook = await hookCommands(input).catch((error: Error) => void io.stderr(`xcluster: ${error.message}\n`))
      ;(name === undefined && !options.help ? io.stderr : io.stdout)(usage(await commandPackages(input), hook ?? undefined))
      return name === undefined && !options.help ? 1 : 0
    }
    const core = COMMANDS.find((c) => c.name === name)
    const packages = core ? [] : await commandPackages(input)
    const hook = core ? undefined : await hookCommands(input)
    const command = core ?? (await packageCommand(name, packages, input)) ?? hook?.commands.find((c) => c.name === name)
    if (!command) {
      const known = [...COMMANDS.map((c) => c.name), ...packages.flatMap((pkg) => pkg.manifest.commands ?? []), ...(hook?.commands ?? []).map((c) => c.name)]
      io.stderr(`xcluster: ${name} is not a command${didYouMean(name, known)}\n${usage(packages, hook)}`)
      return 1
    }
    if (!command.verbatimArgs) input.args = optionsAmongArgs(args, options)
    if (options.output === '') throw new XclusterError('-o needs a file name: -o FILE')
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
