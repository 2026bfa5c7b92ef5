import { SETTINGS, kindOf, type Setting } from './settings.js'
import { valueAt } from './setting-values.js'
import type { ClusterConfig } from '../contract/settings.js'

const list = (values: readonly (string | number)[], separator = ' ') => values.join(separator)

/**
 * The settings under the names the shell tool gave them (`__nvm`, `XCLUSTER_WORKSPACE`,
 * `__image`, ...), each one a name the environment layer reads back to the same setting.
 */
export function shellVariables(config: ClusterConfig, table: readonly Setting[] = SETTINGS): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const setting of table) {
    const name = setting.shell ? `__${setting.shell}` : setting.env
    const value = valueAt(config, setting.path)
    if (name && value !== undefined) vars[name] = kindOf(setting).format(value)
  }
  for (const [id, override] of Object.entries(config.node)) {
    if (override.nets) vars[`__nets${id}`] = list(override.nets, ',')
    if (override.mem !== undefined) vars[`__mem${id}`] = String(override.mem)
    if (override.smp !== undefined) vars[`__smp${id}`] = String(override.smp)
    if (override.append) vars[`__append${id}`] = list(override.append)
  }
  return vars
}

/** A value in single quotes, as `sh` reads it back: `it's` becomes `'it'\''s'`. */
export function shellQuoted(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** `NAME='value'` lines, sorted by name, that `eval "$(xcluster env)"` accepts. */
export function shellAssignments(vars: Record<string, string>): string {
  return Object.keys(vars)
    .sort()
    .map((name) => `${name}=${shellQuoted(vars[name])}\n`)
    .join('')
}
