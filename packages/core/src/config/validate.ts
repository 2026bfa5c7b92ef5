import { resolve } from 'node:path'
import type { ConfigIssue } from '../errors.js'
import { ipv6PrefixProblem } from '../node/ipv6.js'
import { MAX_NODE_ID, ROLES, capacityOf, roleOf } from '../node/roles.js'
import type { ConfigLayer } from './layer.js'
import { didYouMean } from './suggest.js'
import type { NodeOverride } from './types.js'
import type { UserConfig } from './user-config.js'

export const LIMITS = {
  mem: [32, 1048576],
  smp: [1, 64],
  mtu: [1280, 65535],
  net: [0, 255],
  port: [1, 65535],
} as const

export const MAX_PATH = 1024
// Paths go into qemu options (`file=PATH,if=virtio`), where a comma would start another option.
const PATH = new RegExp(`^[^,\\x00-\\x1f\\x7f]{1,${MAX_PATH}}$`)
const QEMU_BINARY = /^[\w./+-]{1,1024}$/
const KERNEL_VERSION = /^(linux-)?\d{1,3}(\.\d{1,4}){0,2}$/
const MACHINE = /^[\w.-]{1,64}(,[\w.-]{1,64}=[\w.:-]{1,64}){0,16}$/

const TOP_LEVEL_KEYS: readonly (keyof UserConfig)[] = [
  'nodes', 'routers', 'testers', 'nets', 'mem', 'smp', 'mtu', 'append', 'qemuArgs', 'node', 'qemu', 'machine',
  'accel', 'kernel', 'initrd', 'image', 'workspace', 'stateDir', 'ipv6Prefix', 'ports', 'overlays', 'ovlPath', 'batch',
  'bootTimeout', 'plugins', 'telnet', 'netSetupScript', 'cdrom', 'hook', 'kernelVersion', 'kernelConfig', 'kernelObjects',
]
const NODE_KEYS: readonly (keyof NodeOverride)[] = ['nets', 'mem', 'smp', 'append']
const PORT_KEYS = ['telnet', 'ssh', 'k8s', 'k8sTls', 'mcastBase', 'mcastPort'] as const

/**
 * What a config file may not say, before its layers merge: names it may not use (reported with
 * the nearest known name), groups that are not objects (`nets: []` would merge into nothing), and
 * node ids in a second spelling ("01", "1e0" and " 1" would all be node 1).
 */
export function unknownKeys(config: object, issues: ConfigIssue[]): void {
  const c = config as UserConfig
  for (const key of ['nets', 'ports', 'node'] as const) {
    const value = c[key] as unknown
    if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) issues.push({ option: key, value, rule: 'must be an object' })
  }
  for (const key of Object.keys(c.node ?? {})) {
    if (String(Number(key)) !== key) issues.push({ option: `node.${key}`, value: key, rule: `must be a node id written as a plain number (such as ${Number.isInteger(Number(key)) ? Number(key) : '1 or 201'})` })
  }
  const check = (object: unknown, known: readonly string[], prefix: string) => {
    if (!object || typeof object !== 'object' || Array.isArray(object)) return
    for (const key of Object.keys(object)) {
      if (!known.includes(key)) issues.push({ option: prefix + key, value: (object as Record<string, unknown>)[key], rule: `is not an option${didYouMean(key, known)}` })
    }
  }
  check(c, TOP_LEVEL_KEYS, '')
  check(c.nets, ROLES, 'nets.')
  check(c.ports, PORT_KEYS, 'ports.')
  for (const [id, override] of Object.entries(c.node ?? {})) check(override, NODE_KEYS, `node.${id}.`)
}

/** Every rule of the merged configuration; each issue names the option as the user spelled it. */
export function validate({ config, origins }: ConfigLayer): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const fail = (path: string, value: unknown, rule: string) => issues.push({ option: origins[path] ?? path, value, rule })
  const int = (path: string, value: unknown, [min, max]: readonly [number, number]) => {
    if (value === undefined) return
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) fail(path, value, `must be a whole number from ${min} to ${max}`)
  }
  const strings = (path: string, value: unknown) => {
    if (value !== undefined && !(Array.isArray(value) && value.every((w) => typeof w === 'string'))) fail(path, value, 'must be a list of strings')
    // A NUL ends a word where the kernel or qemu reads it: what follows would be lost or misread.
    else if (value !== undefined && (value as string[]).some((w) => w.includes('\0'))) fail(path, value, 'must not hold NUL characters')
  }

  const path = (key: string, value: unknown) => {
    if (value === undefined) return
    if (typeof value !== 'string' || !PATH.test(value)) fail(key, value, `must be a path of at most ${MAX_PATH} characters, without commas, newlines or control characters`)
  }
  const nets = (path: string, value: unknown) => {
    if (value === undefined) return
    if (!Array.isArray(value) || value.length === 0) return fail(path, value, 'must be a non-empty list of net numbers')
    if (!value.every((n) => Number.isInteger(n) && n >= LIMITS.net[0] && n <= LIMITS.net[1])) return fail(path, value, 'nets must be whole numbers from 0 to 255')
    if (new Set(value).size !== value.length) return fail(path, value, 'a net may appear only once')
    if (value[0] !== 0) fail(path, value, 'must start with net 0: the guest takes its name from the first NIC')
  }

  int('nodes', config.nodes, [0, capacityOf('vm')])
  int('routers', config.routers, [0, capacityOf('router')])
  int('testers', config.testers, [0, capacityOf('tester')])
  for (const role of ROLES) nets(`nets.${role}`, config.nets?.[role])
  int('mem', config.mem, LIMITS.mem)
  int('smp', config.smp, LIMITS.smp)
  int('mtu', config.mtu, LIMITS.mtu)
  strings('append', config.append)
  strings('qemuArgs', config.qemuArgs)
  strings('overlays', config.overlays)
  strings('ovlPath', config.ovlPath)
  int('batch', config.batch, [1, 64])
  int('bootTimeout', config.bootTimeout, [1, 3600])
  for (const key of ['workspace', 'stateDir', 'kernel', 'initrd', 'image', 'cdrom', 'hook', 'kernelConfig', 'kernelObjects'] as const) path(key, config[key])
  if (config.kernelVersion !== undefined && !(typeof config.kernelVersion === 'string' && KERNEL_VERSION.test(config.kernelVersion))) {
    fail('kernelVersion', config.kernelVersion, 'must be a kernel version such as 6.1, 6.1.192 or linux-6.1.192')
  }
  // The state directory is emptied and removed at stop: never / or a directory right below it (/tmp, /home).
  if (typeof config.stateDir === 'string' && PATH.test(config.stateDir) && resolve(config.stateDir).split('/').filter(Boolean).length < 2) {
    fail('stateDir', config.stateDir, 'must be a directory of its own at least two levels below / (like /tmp/xcluster-me)')
  }
  if (config.qemu !== undefined && !(typeof config.qemu === 'string' && QEMU_BINARY.test(config.qemu))) fail('qemu', config.qemu, 'must be a program name or path of letters, digits and ._+-/')
  if (config.netSetupScript !== undefined && !(typeof config.netSetupScript === 'string' && QEMU_BINARY.test(config.netSetupScript))) {
    fail('netSetupScript', config.netSetupScript, 'must be a program path of letters, digits and ._+-/')
  }
  if (config.machine !== undefined && !(typeof config.machine === 'string' && MACHINE.test(config.machine))) fail('machine', config.machine, 'must be a machine type such as pc or q35, optionally with ,key=value properties')
  if (config.telnet !== undefined && typeof config.telnet !== 'boolean') fail('telnet', config.telnet, 'must be true or false')
  if (config.accel !== undefined && !['kvm', 'tcg', 'auto'].includes(config.accel)) fail('accel', config.accel, 'must be kvm, tcg or auto')
  if (config.ipv6Prefix !== undefined) {
    const problem = ipv6PrefixProblem(config.ipv6Prefix)
    if (problem) fail('ipv6Prefix', config.ipv6Prefix, problem)
  }
  for (const [key, value] of Object.entries(config.ports ?? {})) {
    const [min, max] = key === 'mcastBase' ? [0, 255] : LIMITS.port
    // Port bases leave room for the highest node id.
    int(`ports.${key}`, value, ['telnet', 'ssh'].includes(key) ? [min, max - MAX_NODE_ID] : [min, max])
  }
  for (const [key, override] of Object.entries(config.node ?? {})) {
    const id = Number(key)
    if (!Number.isInteger(id) || !roleOf(id)) fail(`node.${key}`, key, `node ids are 1-200 (vms), 201-220 (routers), 221-240 (testers); 241 and up are reserved`)
    nets(`node.${key}.nets`, override.nets)
    int(`node.${key}.mem`, override.mem, LIMITS.mem)
    int(`node.${key}.smp`, override.smp, LIMITS.smp)
    strings(`node.${key}.append`, override.append)
  }
  const usedNets = [...Object.values(config.nets ?? {}), ...Object.values(config.node ?? {}).map((o) => o.nets ?? [])].flat()
  const highestNet = Math.max(...usedNets.filter((n) => Number.isInteger(n) && n <= LIMITS.net[1]))
  const mcastBase = config.ports?.mcastBase
  if (Number.isInteger(mcastBase) && mcastBase! + highestNet > 255) {
    fail('ports.mcastBase', mcastBase, `224.0.0.(base + net) must stay within 224.0.0.255, and net ${highestNet} is used`)
  }
  return issues
}
