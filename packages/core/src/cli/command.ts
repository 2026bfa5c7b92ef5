import type { Host } from '../host/host.js'
import type { Session } from '../load/session.js'

/** One flag of a command: `--json` (boolean), `--output=FILE` (string), `--prune[=DAYS]` (optional value). */
export interface FlagSpec {
  /** boolean: --x, --no-x and --x=yes|no|true|false; string: --x=VALUE; optional: --x alone or --x=VALUE. */
  type: 'boolean' | 'string' | 'optional'
  /** What one line of help says it does. */
  help: string
  /** The value's name in the help: FILE, DAYS. */
  value?: string
  /** A one-letter spelling: `o` for `-o FILE`. */
  short?: string
}

export type Flags = Readonly<Record<string, FlagSpec>>

/** The values of a command's flags, typed by their declaration; a flag not given is undefined. */
export type FlagValues<F extends Flags> = {
  -readonly [K in keyof F]?: F[K]['type'] extends 'boolean'
    ? boolean
    : F[K]['type'] extends 'optional'
      ? string | true
      : string
}

/** What a command gets: its words, its flags, the cluster settings of its command line, and where to write. */
export interface CommandInput<F extends Flags = Flags> {
  /** The command's name, as the config function sees it (`({ command }) => ...`). */
  command: string
  args: string[]
  flags: FlagValues<F>
  /**
   * Cluster settings and the options every command has (config, topology, plugins), as spelled on the command line
   * without `--`.
   */
  options: Record<string, string>
  host: Host
  cwd: string
  /** The config file and hook of this command, each read once: `configOf(input)`, `clusterOf(input)`. */
  session: Session
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface Command<F extends Flags = Flags> {
  name: string
  /** One line for `xcluster --help`. */
  summary: string
  /** What follows `xcluster NAME` in the usage line; one line per form. */
  usage: string
  /** What the command does, under the usage line of its `--help`; the flags are listed from `flags`. */
  help: string
  /** The command's own flags; every command also takes the cluster settings and --config, --topology, --plugins. */
  flags: F
  /** Words after the first argument are passed on as they are (rsh's remote command), never read as options. */
  verbatimArgs?: boolean
  /** The words a shell may complete its argument `index` with (0: the first after the name); `xcluster completion`. */
  complete?(input: CommandInput, index: number): string[] | Promise<string[]>
  /** Returns the exit status. */
  run(input: CommandInput<F>): Promise<number>
}

/**
 * A command whose `run` sees its flags typed: `defineCommand({ flags: { json: { type: 'boolean', ... } }, run(input)
 * { input.flags.json } })`.
 */
export function defineCommand<F extends Flags>(command: Command<F>): Command<F> {
  return command
}
