import type { HostFacts } from '../host/host-facts.js'
import { SETTINGS, type Setting } from './settings.js'

/** A setting's value at `path` in a config, or undefined. */
export function valueAt(config: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((object, key) => (object as Record<string, unknown> | undefined)?.[key], config)
}

/** Sets `path` in a config, making the groups on the way. */
export function setAt(config: object, path: string, value: unknown): void {
  const keys = path.split('.')
  let target = config as Record<string, unknown>
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>
  target[keys[keys.length - 1]] = value
}

/** The default of a setting that is the same on every host (`nodes`, `nets.vm`). */
export function fixedDefault(path: string): unknown {
  return SETTINGS.find((setting) => setting.path === path && typeof setting.default !== 'function')?.default
}

/** The defaults of every setting that has one, on this host. */
export function settingDefaults(host: HostFacts, table: readonly Setting[] = SETTINGS): object {
  const config = {}
  for (const setting of table) {
    if (setting.default === undefined) continue
    const value = typeof setting.default === 'function' ? setting.default(host) : setting.default
    // Lists are copied: a plugin or a merge that changes one never changes the table.
    setAt(config, setting.path, Array.isArray(value) ? [...value] : value)
  }
  return config
}
