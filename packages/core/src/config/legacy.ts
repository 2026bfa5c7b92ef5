import type { ConfigIssue } from '../errors.js'
import type { ConfigLayer } from './layer.js'
import type { UserSettings } from './types.js'
import { RETIRED_CLUSTER_SETTINGS, RETIRED_ENV_SETTINGS } from './retired-settings.js'
import { didYouMean } from './suggest.js'

/**
 * The shell tool's spellings, read as data: `--nvm=4` and `__nvm=4` both set `nodes`.
 * Values are parsed, never evaluated.
 */
type Parsed = number | number[] | string[] | string | boolean
type Parser = (raw: string) => Parsed | undefined

const wholeNumber: Parser = (raw) => (/^\d+$/.test(raw) ? Number(raw) : undefined)
const netList: Parser = (raw) => (/^\d+(,\d+)*$/.test(raw) ? raw.split(',').map(Number) : undefined)
const words: Parser = (raw) => raw.split(/\s+/).filter(Boolean)
const YES_NO = new Map([['yes', true], ['true', true], ['1', true], ['no', false], ['false', false], ['0', false]])
const yesNo: Parser = (raw) => YES_NO.get(raw)
const text: Parser = (raw) => (raw === '' ? undefined : raw)
const pathList: Parser = (raw) => raw.split(':').filter(Boolean)
const nameList: Parser = (raw) => raw.split(/[\s,]+/).filter(Boolean)
const oneWord: Parser = (raw) => (/^\S+$/.test(raw) ? raw : undefined)

const RULE_OF = new Map<Parser, string>([
  [wholeNumber, 'must be a whole number'],
  [netList, 'must be a comma-separated list of net numbers, e.g. 0,1,2'],
  [text, 'must not be empty'],
  [yesNo, 'must be yes or no'],
  [oneWord, 'must be one program name or path; put further qemu words in __kvm_opt (--kvm-opt)'],
])

/** Legacy name (after `__` or `--`, dashes as underscores) -> setting path and parser. */
const CLUSTER_SETTINGS: Record<string, [path: string, parse: Parser]> = {
  nvm: ['nodes', wholeNumber],
  nrouters: ['routers', wholeNumber],
  ntesters: ['testers', wholeNumber],
  nets_vm: ['nets.vm', netList],
  nets_router: ['nets.router', netList],
  nets_tester: ['nets.tester', netList],
  mem: ['mem', wholeNumber],
  smp: ['smp', wholeNumber],
  mtu: ['mtu', wholeNumber],
  append: ['append', words],
  kvm_opt: ['qemuArgs', words],
  net_setup: ['netSetupScript', text],
  kvm: ['qemu', oneWord],
  machine: ['machine', text],
  kbin: ['kernel', text],
  kver: ['kernelVersion', text],
  kcfg: ['kernelConfig', text],
  kobj: ['kernelObjects', text],
  initrd: ['initrd', text],
  image: ['image', text],
  cdrom: ['cdrom', text],
  batch: ['batch', wholeNumber],
  boot_timeout: ['bootTimeout', wholeNumber],
}

/** Settings only the command line spells (`--accel=tcg`, `--kernel=...`). */
const CLI_ONLY_SETTINGS: Record<string, [string, Parser]> = {
  accel: ['accel', text],
  qemu: ['qemu', text],
  kernel: ['kernel', text],
  state_dir: ['stateDir', text],
  workspace: ['workspace', text],
  overlays: ['overlays', nameList],
  telnet: ['telnet', yesNo],
}

/** Environment variables of the shell tool and of this one. */
const ENV_SETTINGS: Record<string, [string, Parser]> = {
  XCLUSTER_TELNET_BASE: ['ports.telnet', wholeNumber],
  XCLUSTER_SSH_BASE: ['ports.ssh', wholeNumber],
  XCLUSTER_K8S_PORT: ['ports.k8s', wholeNumber],
  XCLUSTER_MCAST_BASE: ['ports.mcastBase', wholeNumber],
  XCLUSTER_MCAST_PORT: ['ports.mcastPort', wholeNumber],
  XCLUSTER_K8S_TLS_PORT: ['ports.k8sTls', wholeNumber],
  XCLUSTER_IPV6_PREFIX: ['ipv6Prefix', text],
  XCLUSTER_HOOK: ['hook', text],
  XOVLS: ['overlays', nameList],
  XCLUSTER_ACCEL: ['accel', text],
  XCLUSTER_WORKSPACE: ['workspace', text],
  XCLUSTER_TMP: ['stateDir', text],
  XCLUSTER_OVLPATH: ['ovlPath', pathList],
  XCLUSTER_TELNET: ['telnet', yesNo],
  XCLUSTER_KERNEL: ['kernel', text],
}

const PER_NODE = /^(nets|mem|smp|append)(\d+)$/
const PER_NODE_PARSER: Record<string, Parser> = { nets: netList, mem: wholeNumber, smp: wholeNumber, append: words }

function setPath(config: UserSettings, path: string, value: Parsed): void {
  const keys = path.split('.')
  let target = config as Record<string, unknown>
  for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>
  target[keys[keys.length - 1]] = value
}

function settingOf(name: string, table: Record<string, [string, Parser]>): [string, Parser] | undefined {
  const perNode = PER_NODE.exec(name)
  if (perNode) return [`node.${Number(perNode[2])}.${perNode[1]}`, PER_NODE_PARSER[perNode[1]]]
  // Only the table's own names: `constructor` or `__proto__` are not settings.
  return Object.hasOwn(table, name) ? table[name] : undefined
}

interface Spelled {
  name: string
  spelled: string
  raw: string
}

function layerOf(entries: Spelled[], table: Record<string, [string, Parser]>, issues: ConfigIssue[]): ConfigLayer {
  const layer: ConfigLayer = { config: {}, origins: {} }
  for (const { name, spelled, raw } of entries) {
    const [path, parse] = settingOf(name, table)!
    const value = parse(raw)
    if (value === undefined) issues.push({ option: spelled, value: raw, rule: RULE_OF.get(parse)! })
    else {
      setPath(layer.config, path, value)
      layer.origins[path] = spelled
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
export function environmentLayer(env: NodeJS.ProcessEnv, issues: ConfigIssue[]): ConfigLayer {
  const entries: Spelled[] = []
  for (const [key, raw] of Object.entries(env)) {
    if (raw === undefined) continue
    const legacy = key.startsWith('__')
    const name = legacy ? key.slice(2) : key
    const instead = legacy ? RETIRED_CLUSTER_SETTINGS : RETIRED_ENV_SETTINGS
    if (Object.hasOwn(instead, name)) issues.push(retired(key, raw, instead[name]))
    else if (settingOf(name, legacy ? CLUSTER_SETTINGS : ENV_SETTINGS)) entries.push({ name, spelled: key, raw })
  }
  return layerOf(entries, { ...CLUSTER_SETTINGS, ...ENV_SETTINGS }, issues)
}

/** Every cluster option the command line accepts, as spelled there (`--nets-vm`). */
export const CLUSTER_OPTIONS: readonly string[] = [...Object.keys(CLUSTER_SETTINGS), ...Object.keys(CLI_ONLY_SETTINGS)].map(
  (name) => name.replace(/_/g, '-'),
)

/**
 * Cluster settings from long options (`--nvm=4`, `--nets-router=0,1,3`, `--mem201=256`).
 * A name that is neither a cluster option nor in `otherOptions` is reported with a suggestion.
 */
export function commandLineLayer(options: Record<string, string>, otherOptions: readonly string[], issues: ConfigIssue[]): ConfigLayer {
  const all = { ...CLUSTER_SETTINGS, ...CLI_ONLY_SETTINGS }
  const entries: Spelled[] = []
  for (const [option, raw] of Object.entries(options)) {
    const name = option.replace(/-/g, '_')
    if (settingOf(name, all)) entries.push({ name, spelled: `--${option}`, raw })
    else if (Object.hasOwn(RETIRED_CLUSTER_SETTINGS, name)) issues.push(retired(`--${option}`, raw, RETIRED_CLUSTER_SETTINGS[name]))
    else if (!otherOptions.includes(option)) {
      issues.push({ option: `--${option}`, value: raw, rule: `is not an option${didYouMean(option, [...CLUSTER_OPTIONS, ...otherOptions])}` })
    }
  }
  return layerOf(entries, all, issues)
}
