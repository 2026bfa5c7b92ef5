import { type Flags, type Operation, SETTINGS, type Setting, flagsOf, isStream } from '@xcluster/core/adapter'

// The flags of the command line, as data: what help, completion and the reading of words (parse-words.ts) share.

/** The flags of an operation on the command line: its own, and `--json` for one that returns a result. */
export function cliFlags(operation: Operation): Flags {
  return isStream(operation)
    ? operation.flags
    : { json: { type: 'boolean', help: `the result as JSON: ${operation.output}` }, ...operation.flags }
}

/** Options every command takes besides the cluster settings. */
export const COMMON_FLAGS: Flags = {
  config: {
    type: 'string',
    value: 'FILE',
    help: 'the config file (default: xcluster.config.* found from here upwards)',
  },
  topology: { type: 'string', value: 'NAME', help: 'a network topology (env TOPOLOGY)' },
  plugins: { type: 'string', value: 'a,b', help: "plugin packages added after the config's (env XCLUSTER_PLUGINS)" },
  help: { type: 'boolean', short: 'h', help: 'this help' },
}

/** Cluster settings as flags: yes/no settings are booleans, the rest take a value. */
export function settingFlags(table: readonly Setting[]): Flags {
  return Object.fromEntries(
    table.flatMap((setting) =>
      flagsOf(setting).map((flag) => [
        flag,
        { type: setting.kind === 'yesNo' ? 'boolean' : 'string', value: setting.value, help: setting.help },
      ]),
    ),
  )
}

/** Core's settings as flags: what a command line takes before the plugins it uses are known. */
export const coreSettingFlags = (): Flags => settingFlags(SETTINGS)
