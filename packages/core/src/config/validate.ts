import type { ConfigIssue } from '../errors.js'
import { roleOf } from '../node/roles.js'
import type { ConfigLayer } from './layer.js'
import {
  MEM_LIMITS,
  NET_LIMITS,
  NODE_SETTING_NAMES,
  SETTINGS,
  kindOf,
  type Setting,
  SMP_LIMITS,
  netsProblem,
} from './settings.js'
import { valueAt } from './setting-values.js'
import { didYouMean } from './suggest.js'
import type { UserConfig } from '../contract/user-config.js'

/** The config's own names: each setting's first part, the per-node overrides, the plugins and the fault timeline. */
function topLevelKeys(table: readonly Setting[]): string[] {
  return [...new Set([...table.map((setting) => setting.path.split('.')[0]), 'node', 'plugins', 'faults'])]
}
/** The names inside a group (`nets`, `ports`). */
const keysOf = (table: readonly Setting[], group: string) =>
  table.filter((s) => s.path.startsWith(`${group}.`)).map((s) => s.path.slice(group.length + 1))

/**
 * What a config file may not say, before its layers merge: names it may not use (reported with
 * the nearest known name), groups that are not objects (`nets: []` would merge into nothing), and
 * node ids in a second spelling ("01", "1e0" and " 1" would all be node 1).
 */
export function unknownKeys(config: object, issues: ConfigIssue[], table: readonly Setting[] = SETTINGS): void {
  const c = config as UserConfig
  for (const key of ['nets', 'ports', 'node'] as const) {
    const value = c[key] as unknown
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value)))
      issues.push({ option: key, value, rule: 'must be an object' })
  }
  for (const [key, override] of Object.entries(c.node ?? {})) {
    if (typeof override !== 'object' || override === null || Array.isArray(override))
      issues.push({
        option: `node.${key}`,
        value: override,
        rule: `must be an object of ${NODE_SETTING_NAMES.join(', ').replace(/, (\w+)$/, ' or $1')}`,
      })
    if (String(Number(key)) !== key)
      issues.push({
        option: `node.${key}`,
        value: key,
        rule:
          `must be a node id written as a plain number (such as` +
          ` ${Number.isInteger(Number(key)) ? Number(key) : '1 or 201'})`,
      })
  }
  const check = (object: unknown, known: readonly string[], prefix: string) => {
    if (!object || typeof object !== 'object' || Array.isArray(object)) return
    for (const key of Object.keys(object)) {
      if (!known.includes(key))
        issues.push({
          option: prefix + key,
          value: (object as Record<string, unknown>)[key],
          rule: `is not an option${didYouMean(key, known)}`,
        })
    }
  }
  check(c, topLevelKeys(table), '')
  check(c.nets, keysOf(table, 'nets'), 'nets.')
  check(c.ports, keysOf(table, 'ports'), 'ports.')
  for (const [id, override] of Object.entries(c.node ?? {})) check(override, NODE_SETTING_NAMES, `node.${id}.`)
}

/** Every rule of the merged configuration; each issue names the option as the user spelled it. */
export function validate({ config, origins }: ConfigLayer, table: readonly Setting[] = SETTINGS): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const fail = (path: string, value: unknown, rule: string) =>
    issues.push({ option: origins[path] ?? path, value, rule })
  const problemOf = (setting: Pick<Setting, 'kind' | 'limits' | 'check'>, value: unknown): string | undefined => {
    const kind = kindOf(setting)
    if (setting.limits) {
      const [min, max] = setting.limits
      if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
        return `must be a whole number from ${min} to ${max}`
    }
    if (!kind.holds(value)) return kind.typeRule
    return setting.check?.(value)
  }
  const check = (path: string, setting: Pick<Setting, 'kind' | 'limits' | 'check'>, value: unknown) => {
    const problem = value === undefined ? undefined : problemOf(setting, value)
    if (problem) fail(path, value, problem)
  }
  for (const setting of table) check(setting.path, setting, valueAt(config, setting.path))
  for (const [key, override] of Object.entries(config.node ?? {})) {
    const id = Number(key)
    if (!Number.isInteger(id) || !roleOf(id))
      fail(
        `node.${key}`,
        override,
        `node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved`,
      )
    check(`node.${key}.nets`, { kind: 'nets', check: netsProblem }, override.nets)
    check(`node.${key}.mem`, { kind: 'count', limits: MEM_LIMITS }, override.mem)
    check(`node.${key}.smp`, { kind: 'count', limits: SMP_LIMITS }, override.smp)
    check(`node.${key}.append`, { kind: 'words' }, override.append)
  }
  const usedNets = [
    ...Object.values(config.nets ?? {}),
    ...Object.values(config.node ?? {}).map((o) => o.nets ?? []),
  ].flat()
  const highestNet = Math.max(...usedNets.filter((n) => Number.isInteger(n) && n <= NET_LIMITS[1]))
  const mcastBase = config.ports?.mcastBase
  if (Number.isInteger(mcastBase) && mcastBase! + highestNet > 255) {
    fail(
      'ports.mcastBase',
      mcastBase,
      `224.0.0.(base + net) must stay within 224.0.0.255, and net ${highestNet} is used`,
    )
  }
  return issues
}
