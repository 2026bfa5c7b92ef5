import { settingsHelp } from '../config/settings-help.js'
import type { Host } from '../host/host.js'

/** What a command gets: its words, its options and where to write. */
export interface CommandInput {
  args: string[]
  options: Record<string, string>
  host: Host
  cwd: string
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface Command {
  name: string
  /** One line for `xcluster --help`. */
  summary: string
  /** The full `--help` text of the command. */
  help: string
  /** Options of the command itself; every other `--name` must be a cluster setting. */
  flags: readonly string[]
  /** Words after the first argument are passed on as they are (rsh's remote command), never read as options. */
  verbatimArgs?: boolean
  /** Returns the exit status. */
  run(input: CommandInput): Promise<number>
}

/** Options every command accepts. */
export const COMMON_FLAGS = ['config', 'help', 'topology', 'plugins'] as const

/** The help paragraph on cluster settings, shared by the commands that read the config. */
export const SETTINGS_HELP = `${settingsHelp()}
  --config=FILE --topology=NAME (env TOPOLOGY) --plugins=pkg,pkg (env XCLUSTER_PLUGINS: added after the config's)`
