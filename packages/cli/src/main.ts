import {
  type Operation,
  type PluginPackage,
  type StreamInput,
  XclusterError,
  didYouMean,
  localHost,
  messageOf,
  operationPackages,
  packageOperation,
  settingLines,
  settingsParagraph,
} from '@xcluster/core/adapter'
import { COMMANDS } from './command-catalog.js'
import { completions } from './completion.js'
import { commandInput } from './command-input.js'
import { allSettingFlags, pluginSettings } from './plugin-settings.js'
import { runOperation } from './run-operation.js'

function usage(packages: PluginPackage[], hook: Awaited<ReturnType<typeof hookCommands>>): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const fromPackages = packages.flatMap((pkg) => (pkg.manifest.commands ?? []).map((name) => `${name} (${pkg.name})`))
  const fromHook = hook
    ? `\nFrom the hook` +
      ` ${hook.file}:\n${hook.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') || '  none'}\n`
    : ''
  return `Usage: xcluster <command> [--option=value]... [args]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}
${fromHook}
From installed packages: ${fromPackages.join(', ') || 'none'}

\`xcluster <command> --help\` tells more.\n`
}

/**
 * The commands of this command line's hook module, what they leave out filled in, checked against core's names
 * (core's would always win).
 */
async function hookCommands(input: StreamInput): Promise<{ file: string; commands: Operation[] } | undefined> {
  const hook = await input.session.hook()
  if (!hook) return undefined
  const clash = hook.commands.find((command) => COMMANDS.some((core) => core.name === command.name))
  if (clash)
    throw new XclusterError(
      `hook ${hook.file}: command ${clash.name} is one of xcluster's own; give yours another name (mystart, say), or` +
        ` change what ${clash.name} does through the lifecycle hooks of a plugin`,
    )
  return {
    file: hook.file,
    // A hook's command that returns no result for `present` writes what it says as it goes (a stream), as a command
    // of the shell tool's hook did.
    commands: hook.commands.map(
      (command) =>
        ({
          summary: '',
          usage: '',
          help: '',
          output: '',
          flags: {},
          ...('present' in command ? {} : { stream: true }),
          ...command,
        }) as Operation,
    ),
  }
}

/** The command's name: the first word that is not an option; the words around it are its own. */
function splitCommand(argv: string[]): { name: string | undefined; words: string[] } {
  const at = argv.findIndex((word) => word === '--' || !word.startsWith('-'))
  if (at < 0 || argv[at] === '--') return { name: undefined, words: argv }
  return { name: argv[at], words: [...argv.slice(0, at), ...argv.slice(at + 1)] }
}

/** Where a command line runs: its output, and what it would take from the process. */
export interface MainIo extends Pick<StreamInput, 'stdout' | 'stderr'> {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** The package whose dependencies are the default cluster's plugins (the xcluster program's own). */
  defaultPlugins?: string
}

/** Runs one command line; returns the exit status. Errors go to stderr, never to stdout. */
export async function main(argv: string[], io: MainIo): Promise<number> {
  const { name, words } = splitCommand(argv)
  const cwd = io.cwd ?? process.cwd()
  try {
    // The config file names the hook, whose commands are found before the command's flags are known.
    const place = { cwd, host: localHost(io.env ?? process.env), defaultPlugins: io.defaultPlugins }
    const input = commandInput(name ?? 'help', words, place, io)
    const wantsHelp = words.includes('--help') || words.includes('-h')
    if (name === undefined || (name === 'help' && words.length === 0)) {
      // A broken hook or config must not hide the help: it is named, and the usage still printed.
      const hook = await hookCommands(input).catch((error: Error) => void io.stderr(`xcluster: ${error.message}\n`))
      const asked = name === 'help' || wantsHelp
      ;(asked ? io.stdout : io.stderr)(usage(await operationPackages(input), hook ?? undefined))
      return asked ? 0 : 1
    }
    if (name === '__complete') {
      const find = (word: string) => findCommand(word, input).catch(() => undefined)
      const names = async () => [...COMMANDS.map((c) => c.name), ...(await packageCommandNames(input))]
      // The plugins' settings are looked up only when a flag is being completed.
      const settings = () => allSettingFlags(words, input)
      io.stdout((await completions(words, input, find, names, settings)).map((word) => `${word}\n`).join(''))
      return 0
    }
    const about = name === 'help' ? words[0] : name
    const command = await findCommand(about, input)
    // Commander is loaded only when there are words to read: not for `--help` alone, completion or a bare command.
    if (name === 'help' || wantsHelp) {
      const { commandProgram } = await import('./parse-words.js')
      io.stdout(`${commandProgram(command).helpInformation()}${await pluginSettingsHelp(command, words, input)}`)
      return 0
    }
    if (words.length > 0)
      Object.assign(input, await (await import('./parse-words.js')).readWords(command, words, input))
    return await runOperation(command, input)
  } catch (error) {
    // A user sees what went wrong in one line; XCLUSTER_DEBUG=1 shows where, for a bug report.
    const debug = !(error instanceof XclusterError) && (io.env ?? process.env).XCLUSTER_DEBUG
    io.stderr(`xcluster${name ? ` ${name}` : ''}:` + ` ${debug ? (error as Error).stack : messageOf(error)}\n`)
    return 1
  }
}

/** Under the help of a command about the settings (start, env): the settings of the plugins in use, if any. */
async function pluginSettingsHelp(command: Operation, words: string[], input: StreamInput): Promise<string> {
  if (!command.help.includes(settingsParagraph())) return ''
  const extra = await pluginSettings(words, input)
  return extra.length === 0 ? '' : `\nSettings of the plugins in use:\n${settingLines(extra).join('\n')}\n`
}

/** The commands of the installed packages and of the hook. */
async function packageCommandNames(input: StreamInput): Promise<string[]> {
  const hook = await hookCommands(input).catch(() => undefined)
  return [
    ...(await operationPackages(input)).flatMap((pkg) => pkg.manifest.commands ?? []),
    ...(hook?.commands ?? []).map((c) => c.name),
  ]
}

/** Core's command, a package's, or the hook's; an unknown name is refused naming the nearest. */
async function findCommand(name: string, input: StreamInput): Promise<Operation> {
  const own = COMMANDS.find((c) => c.name === name)
  if (own) return own.load()
  const packages = await operationPackages(input)
  const hook = await hookCommands(input)
  const command = (await packageOperation(name, packages, input)) ?? hook?.commands.find((c) => c.name === name)
  if (command) return command
  const known = [...COMMANDS.map((c) => c.name), ...(await packageCommandNames(input))]
  throw new XclusterError(`${name} is not a command${didYouMean(name, known)}; \`xcluster help\` lists them`)
}
