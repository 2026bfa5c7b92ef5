import type { Host } from '../host/host.js'
import type { Session } from '../load/session.js'

/** One flag of an operation: `--json` (boolean), `--output=FILE` (string), `--prune[=DAYS]` (optional value). */
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

/** The values of an operation's flags, typed by their declaration; a flag not given is undefined. */
export type FlagValues<F extends Flags> = {
  -readonly [K in keyof F]?: F[K]['type'] extends 'boolean'
    ? boolean
    : F[K]['type'] extends 'optional'
      ? string | true
      : string
}

/** What an operation gets: its words, its flags, the cluster settings it was given, and where to say how it goes. */
export interface OperationInput<F extends Flags = Flags> {
  /** The operation's name, as the config function sees it (`({ command }) => ...`). */
  command: string
  args: string[]
  flags: FlagValues<F>
  /** Cluster settings and the options every operation has (config, topology, plugins), by name without `--`. */
  options: Record<string, string>
  host: Host
  cwd: string
  /** The config file and hook of this operation, each read once: `configOf(input)`, `clusterOf(input)`. */
  session: Session
  /** One line of how it goes, for a person (the command line writes it on stderr). */
  progress(message: string): void
}

/** What an operation that holds a terminal or streams a program's output writes to, as it comes. */
export interface StreamInput<F extends Flags = Flags> extends OperationInput<F> {
  stdout(text: string): void
  stderr(text: string): void
}

/** A result as a person reads it: the text (standard output), notes (standard error), and whether it failed. */
export interface Presentation {
  text: string
  notes?: string[]
  /** The exit status (0 when left out). */
  exit?: number
}

interface Declaration<F extends Flags> {
  name: string
  /** One line for `xcluster --help`. */
  summary: string
  /** What follows `xcluster NAME` in the usage line; one line per form. */
  usage: string
  /** What it does, under the usage line of its help; the flags are listed from `flags`. */
  help: string
  /**
   * What it gives, in a line: a result's JSON (`--json`, an HTTP API, an agent tool), or what a stream writes as it
   * goes. `--json`'s help and the operations' reference (docs/operations.md) say it.
   */
  output: string
  /** Its own flags; every operation also takes the cluster settings and --config, --topology, --plugins. */
  flags: F
  /** Words after the first are passed on as they are (rsh's remote command), never read as options. */
  verbatimArgs?: boolean
  /** Only the command line has it (the tar-script helpers, completion): no HTTP endpoint, no agent tool. */
  cliOnly?: boolean
  /** It holds the terminal it runs in (a console, a shell): the page and agents cannot call it. */
  terminal?: boolean
  /** The words its argument `index` may be (0: the first after the name): shell completion. */
  complete?(input: OperationInput, index: number): string[] | Promise<string[]>
}

/**
 * An operation that returns a result: JSON as it is (`--json`, an HTTP API, an agent tool), text through `present`.
 */
export interface ResultOperation<F extends Flags = Flags, R = unknown> extends Declaration<F> {
  run(input: OperationInput<F>): Promise<R>
  /** The result as a person reads it. */
  present(result: R, input: OperationInput<F>): Presentation
  /** What `--json` shows of the result, when not the result itself. */
  json?(result: R): unknown
}

/** An operation that holds a terminal or streams what a program writes (a console, rsh, a capture); no JSON. */
export interface StreamOperation<F extends Flags = Flags> extends Declaration<F> {
  stream: true
  /** Returns the exit status. */
  run(input: StreamInput<F>): Promise<number>
}

export type Operation<F extends Flags = Flags> = ResultOperation<F, unknown> | StreamOperation<F>

/** An operation whose `run` sees its flags typed and whose `present` sees the result `run` returned. */
export function defineOperation<F extends Flags, R>(operation: ResultOperation<F, R>): ResultOperation<F, R>
export function defineOperation<F extends Flags>(operation: StreamOperation<F>): StreamOperation<F>
export function defineOperation(operation: Operation): Operation {
  return operation
}

export function isStream(operation: Operation): operation is StreamOperation {
  return 'stream' in operation && operation.stream === true
}
