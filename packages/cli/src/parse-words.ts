import { CommanderError, Command as Program, Option } from 'commander'
import {
  type Flags,
  KINDS,
  NODE_SETTING_NAMES,
  type Operation,
  type StreamInput,
  XclusterError,
  didYouMean,
} from '@xcluster/core/adapter'
import { COMMON_FLAGS, cliFlags, coreSettingFlags, settingFlags } from './command-flags.js'
import { pluginSettings } from './plugin-settings.js'

const PER_NODE = new RegExp(`^--((?:${NODE_SETTING_NAMES.join('|')})\\d{1,3})=(.*)$`, 's')
const YES = new Set(['yes', 'true', '1'])
const NO = new Set(['no', 'false', '0'])

export interface ParsedWords {
  args: string[]
  /** The command's own flags. */
  flags: Record<string, string | boolean>
  /** Cluster settings and common options, as text. */
  options: Record<string, string>
}

function optionOf(name: string, spec: Flags[string], hidden: boolean): Option[] {
  const spelled = `${spec.short ? `-${spec.short}, ` : ''}--${name}`
  const value =
    spec.type === 'string'
      ? ` <${spec.value ?? 'VALUE'}>`
      : spec.type === 'optional'
        ? ` [${spec.value ?? 'VALUE'}]`
        : ''
  const option = new Option(spelled + value, spec.help)
  if (hidden) option.hideHelp()
  return spec.type === 'boolean' ? [option, new Option(`--no-${name}`).hideHelp()] : [option]
}

/**
 * The words commander reads: `--x=no` of a boolean becomes `--no-x`; per-node settings (`--mem201=256`) are taken
 * out, as no table can list them all.
 */
function normalise(
  words: string[],
  booleans: Set<string>,
  verbatim: boolean,
  options: Record<string, string>,
): string[] {
  const out: string[] = []
  for (let k = 0; k < words.length; k++) {
    const word = words[k]
    // After `--`, and after the first argument of a command that passes its words on (rsh), nothing is an option.
    if (word === '--' || (verbatim && !word.startsWith('-'))) return [...out, ...words.slice(k)]
    const perNode = PER_NODE.exec(word)
    const eq = word.indexOf('=')
    const name = word.slice(2, eq)
    if (perNode) options[perNode[1]] = perNode[2]
    else if (word.startsWith('--') && eq > 2 && booleans.has(name)) {
      const value = word.slice(eq + 1).toLowerCase()
      if (!YES.has(value) && !NO.has(value))
        throw new XclusterError(
          `${word}: --${name} is yes or no (--${name}, --no-${name}, --${name}=yes|no|true|false)`,
        )
      out.push(YES.has(value) ? `--${name}` : `--no-${name}`)
    } else out.push(word)
  }
  return out
}

/** A program of one command: its flags shown in help, the settings and common options hidden. */
export function commandProgram(command: Operation, settings: Flags = coreSettingFlags()): Program {
  const program = new Program(`xcluster ${command.name}`)
    .usage(command.usage)
    .description(command.help)
    .helpOption(false)
    // The descriptions are written in lines of at most 100 characters: kept as they are.
    .configureHelp({ helpWidth: 120 })
    .argument('[args...]')
    .allowExcessArguments(true)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
  if (command.verbatimArgs) program.passThroughOptions()
  const seen = new Set<string>()
  for (const [flags, hidden] of [
    [cliFlags(command), false],
    [COMMON_FLAGS, false],
    [settings, true],
  ] as const) {
    for (const [name, spec] of Object.entries(flags)) {
      if (seen.has(name)) continue
      seen.add(name)
      for (const option of optionOf(name, spec, hidden)) program.addOption(option)
    }
  }
  return program
}

/** Commander's error in one line: `--dry-rn is not an option of start (did you mean --dry-run?)`. */
function oneLine(error: CommanderError, command: string, known: string[]): string {
  const [, option] = /'(.*?)'/.exec(error.message) ?? []
  // Commander weighs `--nmv=2` whole: the name alone is compared with the options too.
  const [, nearest] =
    /Did you mean (.*?)\?/.exec(error.message) ??
    /"(.*)"/.exec(didYouMean(option?.replace(/=.*$/, '') ?? '', known)) ??
    []
  if (error.code !== 'commander.unknownOption')
    return error.message
      .replace(/^error: /, '')
      .split('\n')
      .join(' ')
  return `${option} is not an option of ${command}${nearest ? ` (did you mean ${nearest}?)` : ''}`
}

/**
 * Reads a command's words: its flags typed, settings as text; an unknown or malformed option is one line naming the
 * nearest.
 */
export function parseWords(command: Operation, words: string[], settings: Flags = coreSettingFlags()): ParsedWords {
  const options: Record<string, string> = Object.create(null)
  const own = cliFlags(command)
  const booleans = new Set(
    Object.entries({ ...settings, ...COMMON_FLAGS, ...own })
      .filter(([, spec]) => spec.type === 'boolean')
      .map(([name]) => name),
  )
  const program = commandProgram(command, settings)
  try {
    program.parse(normalise(words, booleans, command.verbatimArgs === true, options), { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError)
      throw new XclusterError(
        oneLine(
          error,
          command.name,
          program.options.map((option) => option.long!),
        ),
      )
    throw error
  }
  const flags: Record<string, string | boolean> = Object.create(null)
  for (const option of program.options) {
    const name = option.long!.slice(2)
    const value = program.getOptionValue(option.attributeName()) as string | boolean | undefined
    if (value === undefined || option.negate) continue
    // An empty value names nothing: `--config=` would otherwise read as no --config at all.
    const spec = Object.hasOwn(own, name) ? own[name] : COMMON_FLAGS[name]
    if (value === '' && spec)
      throw new XclusterError(`--${name}= names nothing: give it a value (--${name}=${spec.value})`)
    if (Object.hasOwn(own, name) || name === 'help') flags[name] = value
    else options[name] = typeof value === 'boolean' ? KINDS.yesNo.format(value) : value
  }
  return { args: program.args, flags, options }
}

/**
 * Reads a command's words. Most spell only core's settings; one that is no option of core's is read again with the
 * settings of the plugins in use (`--hosts` of net-ovn), so that a plugin's are loaded only when one is given.
 */
export async function readWords(command: Operation, words: string[], input: StreamInput): Promise<ParsedWords> {
  try {
    return parseWords(command, words)
  } catch (error) {
    if (!(error instanceof XclusterError)) throw error
    const extra = await pluginSettings(words, input)
    if (extra.length === 0) throw error
    return parseWords(command, words, { ...coreSettingFlags(), ...settingFlags(extra) })
  }
}
