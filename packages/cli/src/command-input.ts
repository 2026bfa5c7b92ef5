import { Session, type StreamInput } from '@xcluster/core/adapter'
import { wordValue } from './plugin-settings.js'

/** Where a command runs: its directory, the host, the package whose dependencies are the default plugins. */
export interface CommandPlace {
  cwd: string
  host: StreamInput['host']
  defaultPlugins?: string
}

/**
 * The input of `xcluster COMMAND WORDS` before its words are read: a session of its own (with the config file
 * `--config` names, which names the hook), and where it writes; progress goes to `stderr`.
 */
export function commandInput(
  command: string,
  words: string[],
  place: CommandPlace,
  out: Pick<StreamInput, 'stdout' | 'stderr'>,
): StreamInput {
  const config = wordValue(words, 'config')
  const { cwd, host, defaultPlugins } = place
  return {
    command,
    args: [],
    flags: {},
    options: config === undefined ? {} : { config },
    session: new Session({ cwd, host, command, configPath: config, defaultPlugins }),
    host,
    cwd,
    stdout: out.stdout,
    stderr: out.stderr,
    progress: (message) => out.stderr(`xcluster: ${message}\n`),
  }
}
