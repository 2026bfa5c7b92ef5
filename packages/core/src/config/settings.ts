import { join, resolve } from 'node:path'
import type { HostFacts } from '../host/host-facts.js'
import { DEFAULT_IPV6_PREFIX, ipv6PrefixProblem } from '../node/ipv6.js'
import { MAX_NODE_ID, type Role, capacityOf } from '../node/roles.js'
import { KINDS, PATH, PATH_RULE, type SettingKind } from './setting-kinds.js'
import type { NodeOverride, PluginSettings, PortSettings, UserSettings } from '../contract/settings.js'

// Never a word that starts with `-`: qemu or the shell would read an option (`qemu: '-version'`).
const PROGRAM = /^[\w./+][\w./+-]{0,1023}$/

/** A rule beyond the kind: the problem with `value`, or undefined. */
type Check = (value: unknown) => string | undefined
const matches =
  (pattern: RegExp, rule: string): Check =>
  (value) =>
    pattern.test(value as string) ? undefined : rule
const isPath = matches(PATH, PATH_RULE)

export const NET_LIMITS = [0, 255] as const

/** The rules of a node's nets, in NIC order. */
export const netsProblem: Check = (value) => {
  const nets = value as unknown[]
  if (nets.length === 0) return 'must be a non-empty list of net numbers'
  if (!nets.every((n) => Number.isInteger(n) && (n as number) >= NET_LIMITS[0] && (n as number) <= NET_LIMITS[1]))
    return 'nets must be whole numbers from 0 to 255'
  if (new Set(nets).size !== nets.length) return 'a net may appear only once'
  if (nets[0] !== 0) return 'must start with net 0: the guest takes its name from the first NIC'
  return undefined
}

/** Where a setting sits in the config: a field of UserSettings, or one inside its groups. */
export type SettingPath =
  | Exclude<keyof UserSettings, 'nets' | 'ports' | 'node' | keyof PluginSettings>
  | `nets.${Role}`
  | `ports.${keyof PortSettings}`

/**
 * One cluster setting: every spelling of it, its default, its limits and its help come from here. Core's are
 * SETTINGS; a plugin adds its own (`Plugin.settings`), each a key of the config of its own, with a kind of its own
 * if core's do not fit.
 */
export interface Setting<Path extends string = string> {
  /** Where it sits in the config (`nodes`, `nets.vm`, `ports.ssh`; a plugin's: one key, `hosts`). */
  path: Path
  /** How its text is read and written: one of core's kinds by name, or a kind of the plugin's. */
  kind: keyof typeof KINDS | SettingKind
  /** What the value is, in the help's `--flag=VALUE`. */
  value: string
  help: string
  /** The default, or how the host makes it; none: the setting is unset unless the user sets it. */
  default?: unknown | ((host: HostFacts) => unknown)
  /** Whole numbers: the smallest and largest allowed. */
  limits?: readonly [number, number]
  /** A rule of its own, checked after the kind's. */
  check?: Check
  /** The shell tool's name, after `__` in the environment and `--` on the command line (dashes for underscores). */
  shell?: string
  /** A command-line spelling of its own (`--kernel`), besides the shell name. */
  flag?: string
  /** An environment variable (`XCLUSTER_ACCEL`). */
  env?: string
}

/** One of core's settings: its path is one of the config's. */
export type CoreSetting = Setting<SettingPath>

const port = <K extends keyof PortSettings>(
  key: K,
  value: number,
  help: string,
  env: string,
  limits: readonly [number, number] = [1, 65535],
): Setting<`ports.${K}`> => ({
  path: `ports.${key}`,
  kind: 'count',
  value: 'PORT',
  help,
  default: value,
  limits,
  env,
})
const file = <P extends SettingPath>(
  path: P,
  help: string,
  spellings: Pick<Setting, 'shell' | 'flag' | 'env' | 'default'>,
): Setting<P> => ({
  path,
  kind: 'path',
  value: 'PATH',
  help,
  check: isPath,
  ...spellings,
})

export const MEM_LIMITS = [32, 1048576] as const
export const SMP_LIMITS = [1, 64] as const

/**
 * The per-node settings (`node: { 201: { mem } }`, `__mem201`, `--mem201`), each with its kind: every key of
 * NodeOverride, and nothing else.
 */
export const NODE_SETTINGS = { nets: 'nets', mem: 'count', smp: 'count', append: 'words' } as const satisfies Record<
  keyof NodeOverride,
  Setting['kind']
>
export const NODE_SETTING_NAMES = Object.keys(NODE_SETTINGS) as (keyof NodeOverride)[]

/** Core's table, each entry's path kept as it is written: what the check below reads. */
const table = <const T extends readonly CoreSetting[]>(settings: T): T => settings

const CORE_TABLE = table([
  {
    path: 'nodes',
    kind: 'count',
    value: 'N',
    help: 'cluster nodes vm-001..',
    default: 4,
    limits: [0, capacityOf('vm')],
    shell: 'nvm',
  },
  {
    path: 'routers',
    kind: 'count',
    value: 'N',
    help: 'routers vm-201..',
    default: 2,
    limits: [0, capacityOf('router')],
    shell: 'nrouters',
  },
  {
    path: 'testers',
    kind: 'count',
    value: 'N',
    help: 'testers vm-221..',
    default: 0,
    limits: [0, capacityOf('tester')],
    shell: 'ntesters',
  },
  {
    path: 'nets.vm',
    kind: 'nets',
    value: 'N,N',
    help: 'nets of the nodes, in NIC order',
    default: [0, 1],
    shell: 'nets_vm',
    check: netsProblem,
  },
  {
    path: 'nets.router',
    kind: 'nets',
    value: 'N,N',
    help: 'nets of the routers',
    default: [0, 1, 2],
    shell: 'nets_router',
    check: netsProblem,
  },
  {
    path: 'nets.tester',
    kind: 'nets',
    value: 'N,N',
    help: 'nets of the testers',
    default: [0, 2],
    shell: 'nets_tester',
    check: netsProblem,
  },
  {
    path: 'mem',
    kind: 'count',
    value: 'MiB',
    help: 'memory of every VM',
    default: 128,
    limits: MEM_LIMITS,
    shell: 'mem',
  },
  {
    path: 'smp',
    kind: 'count',
    value: 'N',
    help: 'virtual CPUs of every VM',
    default: 2,
    limits: SMP_LIMITS,
    shell: 'smp',
  },
  {
    path: 'mtu',
    kind: 'count',
    value: 'N',
    help: 'MTU of every net',
    default: 1500,
    limits: [1280, 65535],
    shell: 'mtu',
  },
  {
    path: 'append',
    kind: 'words',
    value: '"k=v ..."',
    help: 'kernel arguments of every VM',
    default: [],
    shell: 'append',
  },
  {
    path: 'qemuArgs',
    kind: 'words',
    value: '"WORDS"',
    help: 'extra qemu words of every VM',
    default: [],
    shell: 'kvm_opt',
  },
  {
    path: 'qemu',
    kind: 'program',
    value: 'PROGRAM',
    help: 'the qemu binary',
    default: 'qemu-system-x86_64',
    shell: 'kvm',
    flag: 'qemu',
    check: matches(PROGRAM, 'must be a program name or path of letters, digits and ._+-/, not starting with -'),
  },
  {
    path: 'machine',
    kind: 'text',
    value: 'TYPE',
    help: 'qemu machine type',
    default: 'pc',
    shell: 'machine',
    check: matches(
      /^[\w.-]{1,64}(,[\w.-]{1,64}=[\w.:-]{1,64}){0,16}$/,
      'must be a machine type such as pc or q35, optionally with ,key=value properties',
    ),
  },
  {
    path: 'accel',
    kind: 'text',
    value: 'kvm|tcg|auto',
    help: 'kvm, tcg (software emulation) or auto (kvm when /dev/kvm opens)',
    default: 'auto',
    flag: 'accel',
    env: 'XCLUSTER_ACCEL',
    check: (value) => (['kvm', 'tcg', 'auto'].includes(value as string) ? undefined : 'must be kvm, tcg or auto'),
  },
  file('kernel', 'the kernel: built, cloud or a bzImage path', {
    shell: 'kbin',
    flag: 'kernel',
    env: 'XCLUSTER_KERNEL',
    default: 'default',
  }),
  {
    path: 'kernelVersion',
    kind: 'text',
    value: 'V',
    help: 'kernel version to build and boot (6.1, 6.1.192)',
    shell: 'kver',
    check: matches(
      /^(linux-)?\d{1,3}(\.\d{1,4}){0,2}$/,
      'must be a kernel version such as 6.1, 6.1.192 or linux-6.1.192',
    ),
  },
  file('kernelConfig', "kernel config (whole, or a fragment added to xcluster's)", { shell: 'kcfg' }),
  file('kernelObjects', 'where `kernel build` keeps objects; a start boots its bzImage', { shell: 'kobj' }),
  file('initrd', 'initramfs (default: built by `xcluster image`)', { shell: 'initrd' }),
  file('image', 'root disk, qcow2 (default: built by `xcluster image`)', { shell: 'image' }),
  file('cdrom', "the overlays' ISO (default <stateDir>/cdrom.iso)", { shell: 'cdrom' }),
  file('hook', 'a module whose plugins and commands join every command', { env: 'XCLUSTER_HOOK' }),
  file('workspace', 'where built files live', {
    flag: 'workspace',
    env: 'XCLUSTER_WORKSPACE',
    default: (host: HostFacts) => join(host.home, '.cache', 'xcluster'),
  }),
  {
    ...file('stateDir', 'where a running cluster keeps its files', {
      flag: 'state-dir',
      env: 'XCLUSTER_TMP',
      default: (host: HostFacts) => join('/tmp', `xcluster-${host.user}`, host.netns ?? 'main'),
    }),
    // Emptied and removed at stop: never / or a directory right below it (/tmp, /home).
    check: (value) =>
      isPath(value) ??
      (resolve(value as string)
        .split('/')
        .filter(Boolean).length < 2
        ? 'must be a directory of its own at least two levels below / (like /tmp/xcluster-me)'
        : undefined),
  },
  {
    path: 'netSetupScript',
    kind: 'text',
    value: 'PROGRAM',
    help: 'run as PROGRAM NODE NET per NIC; its stdout attaches it',
    shell: 'net_setup',
    check: matches(PROGRAM, 'must be a program path of letters, digits and ._+-/, not starting with -'),
  },
  {
    path: 'ipv6Prefix',
    kind: 'text',
    value: 'PREFIX',
    help: 'the one IPv6 /96 of guests, bridges and NAT',
    default: DEFAULT_IPV6_PREFIX,
    env: 'XCLUSTER_IPV6_PREFIX',
    check: (value) => ipv6PrefixProblem(value as string),
  },
  {
    path: 'overlays',
    kind: 'names',
    value: 'a,b',
    help: 'overlays unpacked on / of every VM',
    flag: 'overlays',
    env: 'XOVLS',
  },
  {
    path: 'ovlPath',
    kind: 'paths',
    value: 'DIR:DIR',
    help: 'directories searched for overlays by name',
    default: [],
    env: 'XCLUSTER_OVLPATH',
  },
  {
    path: 'batch',
    kind: 'count',
    value: 'N',
    help: 'VMs booted at once',
    default: (host: HostFacts) => Math.max(1, host.cpus),
    limits: [1, 64],
    shell: 'batch',
  },
  {
    path: 'bootTimeout',
    kind: 'count',
    value: 'S',
    help: 'seconds a VM may take to boot',
    default: 120,
    limits: [1, 3600],
    shell: 'boot_timeout',
  },
  {
    path: 'clone',
    kind: 'yesNo',
    value: 'yes|no',
    help: 'start VMs as copies of a booted template of their shape (made once); no: boot each',
    default: true,
    flag: 'clone',
    env: 'XCLUSTER_CLONE',
  },
  {
    path: 'telnet',
    kind: 'yesNo',
    value: 'yes|no',
    help: 'telnetd in every VM (a root shell, no password)',
    default: false,
    flag: 'telnet',
    env: 'XCLUSTER_TELNET',
  },
  // Port bases leave room for the highest node id.
  port('telnet', 12000, "host port of vm I's telnet is this + I (user-space)", 'XCLUSTER_TELNET_BASE', [
    1,
    65535 - MAX_NODE_ID,
  ]),
  port('ssh', 12300, "host port of vm I's ssh is this + I (user-space)", 'XCLUSTER_SSH_BASE', [1, 65535 - MAX_NODE_ID]),
  port('k8s', 18080, 'host port forwarded to vm-001:8080', 'XCLUSTER_K8S_PORT'),
  port('k8sTls', 7443, 'host port forwarded to vm-001:6443', 'XCLUSTER_K8S_TLS_PORT'),
  port('mcastBase', 120, 'net N > 0 is the multicast group 224.0.0.(this + N)', 'XCLUSTER_MCAST_BASE', [0, 255]),
  port('mcastPort', 27030, 'UDP port of the multicast groups', 'XCLUSTER_MCAST_PORT'),
])

/** Requires `T` to be never: a type error that names what `T` still holds. */
type Never<T extends never> = T
/**
 * Every setting of UserSettings has its entry in the table (a setting declared in one and not the other is a type
 * error naming it); the table's paths are the config's by CoreSetting.
 */
export type EverySettingInTheTable = Never<Exclude<SettingPath, (typeof CORE_TABLE)[number]['path']>>

/** Every cluster setting but the per-node ones (`__memI`) and `plugins`. */
export const SETTINGS: readonly CoreSetting[] = CORE_TABLE

/** How a setting's text is read and written. */
export function kindOf(setting: Pick<Setting, 'kind'>): SettingKind {
  return typeof setting.kind === 'string' ? KINDS[setting.kind] : setting.kind
}

/** The command-line names of a setting, without `--`: the shell name with dashes, then its own. */
export function flagsOf(setting: Setting): string[] {
  return [setting.shell?.replace(/_/g, '-'), setting.flag].filter((name) => name !== undefined)
}
