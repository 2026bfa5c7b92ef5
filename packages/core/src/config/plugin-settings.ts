import type { Plugin } from '../contract/plugin.js'
import { XclusterError } from '../errors.js'
import { SETTINGS, type Setting, flagsOf } from './settings.js'

/** Every spelling of a setting: its key, its command-line names, its shell name and its environment variable. */
const spellingsOf = (setting: Setting) =>
  [setting.path.split('.')[0], ...flagsOf(setting), setting.shell && `__${setting.shell}`, setting.env].filter(
    (word): word is string => word !== undefined,
  )

/**
 * The settings of a cluster: core's, then those of its plugins. A plugin's setting that takes a key or a spelling of
 * core's, or of another plugin's, is refused naming both.
 */
export function settingsTable(plugins: readonly Plugin[]): readonly Setting[] {
  const owners = new Map<string, string>()
  for (const setting of SETTINGS) for (const word of spellingsOf(setting)) owners.set(word, 'core')
  const table: Setting[] = [...SETTINGS]
  for (const plugin of plugins)
    for (const setting of plugin.settings ?? []) {
      for (const word of new Set(spellingsOf(setting))) {
        const owner = owners.get(word)
        if (owner !== undefined)
          throw new XclusterError(
            `plugin ${plugin.name}: its setting ${setting.path} is spelled ${word}, as a setting of ${owner} is;` +
              ' give it another name',
          )
        owners.set(word, plugin.name)
      }
      table.push(setting)
    }
  return table
}
