import { SETTINGS, type Setting, type StreamInput, loadOptions } from '@xcluster/core/adapter'
import type { Flags } from '@xcluster/core/adapter'
import { coreSettingFlags, settingFlags } from './command-flags.js'

/** The value of `--NAME=VALUE` or `--NAME VALUE` among the words, read before the command's flags are known. */
export function wordValue(words: string[], name: string): string | undefined {
  return words
    .find((word, k) => word.startsWith(`--${name}=`) || words[k - 1] === `--${name}`)
    ?.replace(`--${name}=`, '')
}

/**
 * The settings of the plugins this command line uses (the config's, the hook's, --plugins or XCLUSTER_PLUGINS, and
 * the defaults), beyond core's; none while they cannot be resolved (the command says why when it loads them).
 */
export async function pluginSettings(words: string[], input: StreamInput): Promise<readonly Setting[]> {
  const options: Record<string, string> = {}
  for (const name of ['plugins', 'topology']) {
    const value = wordValue(words, name)
    if (value !== undefined) options[name] = value
  }
  const table = await input.session.settings(loadOptions({ ...input, options }))
  const core = new Set<Setting>(SETTINGS)
  return table.filter((setting) => !core.has(setting))
}

/** Core's settings as flags, and those of the plugins in use. */
export async function allSettingFlags(words: string[], input: StreamInput): Promise<Flags> {
  return { ...coreSettingFlags(), ...settingFlags(await pluginSettings(words, input)) }
}
