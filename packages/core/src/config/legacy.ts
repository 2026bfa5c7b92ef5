import type { ConfigIssue } from '../errors.js'
import type { ConfigLayer } from './layer.js'
import { NODE_SETTINGS, NODE_SETTING_NAMES, SETTINGS, kindOf, type Setting, flagsOf } from './settings.js'
import { setAt } from './setting-values.js'
import { RETIRED_CLUSTER_SETTINGS, RETIRED_ENV_SETTINGS } from './retired-settings.js'
import { didYouMean } from './suggest.js'

/**
 * The shell tool's spellings, read as data: `--nvm=4` and `__nvm=4` both set `nodes`.
 * Values are parsed, never evaluated.
 */
type Spelling = { path: string; kind: Setting['kind'] }

const NODE_KINDS = new Map<string, Setting['kind']>(Object.entries(NODE_SETTINGS))
const PER_NODE = new RegExp(`^(${NODE_SETTING_NAMES.join('|')})(\\d+)$`)

/** The setting a name spells (`nvm`, `mem201`, `XCLUSTER_ACCEL`), by the names `namesOf` gives each setting. */
function settingOf(
  name: string,
  table: readonly Setting[],
  namesOf: (setting: Setting) => (string | undefined)[],
  perNode: boolean,
): Spelling | undefined {
  const node = perNode ? PER_NODE.exec(name) : null
  if (node) return { path: `node.${Number(node[2])}.${node[1]}`, kind: NODE_KINDS.get(node[1])! }
  return table.find((setting) => namesOf(setting).includes(name))
}
const shellName = (setting: Setting) => [setting.shell]
const envName = (setting: Setting) => [setting.env]
const flagNames = (setting: Setting) => flagsOf(setting).map((flag) => flag.replace(/-/g, '_'))

interface Spelled {
  setting: Spelling
  spelled: string
  raw: string
}

function layerOf(entries: Spelled[], issues: ConfigIssue[]): ConfigLayer {
  const layer: ConfigLayer = { config: {}, origins: {} }
  for (const { setting, spelled, raw } of entries) {
    const kind = kindOf(setting)
    const value = kind.parse(raw)
    if (value === undefined) issues.push({ option: spelled, value: raw, rule: kind.rule })
    else {
      setAt(layer.config, setting.path, value)
      layer.origins[setting.path] = spelled
    }
  }
  return layer
}

const retired = (spelled: string, raw: string, instead: string): ConfigIssue => ({
  option: spelled,
  value: raw,
  rule: `is a setting of the shell tool that xcluster does not use: ${instead}`,
})

/**
 * Cluster settings from the environment: `__nvm`, `__mem201`, `XCLUSTER_SSH_BASE`...; the shell
 * tool's settings that mean nothing here are reported. Other variables (an overlay's own `__x`)
 * are left to the programs that read them.
 */
export function environmentLayer(
  env: NodeJS.ProcessEnv,
  issues: ConfigIssue[],
  table: readonly Setting[] = SETTINGS,
): ConfigLayer {
  const entries: Spelled[] = []
  for (const [key, raw] of Object.entries(env)) {
    if (raw === undefined) continue
    const legacy = key.startsWith('__')
    const name = legacy ? key.slice(2) : key
    const instead = legacy ? RETIRED_CLUSTER_SETTINGS : RETIRED_ENV_SETTINGS
    const setting = settingOf(name, table, legacy ? shellName : envName, legacy)
    if (Object.hasOwn(instead, name)) issues.push(retired(key, raw, instead[name]))
    else if (setting) entries.push({ setting, spelled: key, raw })
  }
  return layerOf(entries, issues)
}

/** Every cluster option the command line accepts, as spelled there (`--nets-vm`), without its `--`. */
export function clusterOptions(table: readonly Setting[] = SETTINGS): string[] {
  return table.flatMap(flagsOf)
}

/**
 * Cluster settings from long options (`--nvm=4`, `--nets-router=0,1,3`, `--mem201=256`).
 * A name that is neither a cluster option nor in `otherOptions` is reported with a suggestion.
 */
export function commandLineLayer(
  options: Record<string, string>,
  otherOptions: readonly string[],
  issues: ConfigIssue[],
  table: readonly Setting[] = SETTINGS,
): ConfigLayer {
  const entries: Spelled[] = []
  for (const [option, raw] of Object.entries(options)) {
    const name = option.replace(/-/g, '_')
    const setting = settingOf(name, table, flagNames, true)
    if (setting) entries.push({ setting, spelled: `--${option}`, raw })
    else if (Object.hasOwn(RETIRED_CLUSTER_SETTINGS, name))
      issues.push(retired(`--${option}`, raw, RETIRED_CLUSTER_SETTINGS[name]))
    else if (!otherOptions.includes(option)) {
      issues.push({
        option: `--${option}`,
        value: raw,
        rule: `is not an option${didYouMean(option, [...clusterOptions(table), ...otherOptions])}`,
      })
    }
  }
  return layerOf(entries, issues)
}
