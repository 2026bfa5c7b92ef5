import type { Role } from './node.js'

/** Per-node settings that replace the role's defaults (`__netsI`, `__memI`, `__smpI`, `__appendI`). */
export interface NodeOverride {
  /** NIC order of this node; net 0 first, since the guest names itself from eth0's MAC. */
  nets?: number[]
  /** Memory in MiB. */
  mem?: number
  /** Virtual CPUs. */
  smp?: number
  /** Kernel arguments added after the cluster's `append`. */
  append?: string[]
}

/** How qemu runs the guests: `kvm`, `tcg` (software emulation) or `auto` (kvm when /dev/kvm opens). */
export type Accel = 'kvm' | 'tcg' | 'auto'

/** Host ports and groups of user-space networking; change them to keep two clusters apart. */
export interface PortSettings {
  /** Host port of node I's telnet is `telnet + I` on 127.0.0.1 (12000). */
  telnet: number
  /** Host port of node I's ssh is `ssh + I` on 127.0.0.1 (12300). */
  ssh: number
  /** Host port forwarded to vm-001:8080 (18080). */
  k8s: number
  /** Host port forwarded to vm-001:6443 (7443). */
  k8sTls: number
  /** Net N > 0 is the multicast group 224.0.0.(mcastBase + N) (120). */
  mcastBase: number
  /** UDP port of the multicast groups (27030). */
  mcastPort: number
}

/**
 * The settings of plugins, each added by its package (`declare module '@xcluster/core' { interface PluginSettings {
 * hosts?: ... } }`), as a plugin declares them in `Plugin.settings`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: the plugins' packages add to it.
export interface PluginSettings {}

/** The settings a user writes in `xcluster.config.ts` (all but `plugins`); every field is optional. */
export interface UserSettings extends PluginSettings {
  /** Cluster nodes vm-001.. (4). */
  nodes?: number
  /** Routers vm-201.. (2). */
  routers?: number
  /** Testers vm-221.. (0). */
  testers?: number
  /** Default nets of each role, in NIC order (vm 0,1; router 0,1,2; tester 0,2). */
  nets?: Partial<Record<Role, number[]>>
  /** Memory of every node in MiB (128). */
  mem?: number
  /** Virtual CPUs of every node (2). */
  smp?: number
  /** MTU of every net (1500); other values add `mtuN=` kernel arguments. */
  mtu?: number
  /** Extra kernel arguments of every node. */
  append?: string[]
  /** Extra qemu arguments of every node (the shell tool's `__kvm_opt`). */
  qemuArgs?: string[]
  /** Per-node overrides, by node id. */
  node?: Record<number, NodeOverride>
  /**
   * Run telnetd in every VM (a root shell without password on the maintenance net, forwarded to
   * 127.0.0.1:(ports.telnet + I) in user-space mode). Off by default: any user of the host could use it.
   */
  telnet?: boolean
  /** The qemu binary (qemu-system-x86_64). */
  qemu?: string
  /**
   * The shell tool's `__net_setup`: a program run as `PROGRAM <node> <net>` for each NIC, whose
   * stdout (qemu options, split at white space) attaches it, before any network backend.
   */
  netSetupScript?: string
  /** The qemu machine type (pc). */
  machine?: string
  /** Accelerator; the env var XCLUSTER_ACCEL sets it too. */
  accel?: Accel
  /**
   * Kernel the VMs boot: `'built'` (the newest `xcluster kernel build` made, matching kernelVersion
   * and kernelConfig when set), `'cloud'` (Debian's cloud kernel of the image) or a bzImage path.
   * Default `'default'`: the newest built kernel once one was built, Debian's cloud kernel until then.
   */
  kernel?: string
  /**
   * The shell tool's `__kver`: the kernel version `kernel build` builds and a start boots (6.1, 6.1.192,
   * linux-6.1.192).
   */
  kernelVersion?: string
  /**
   * `__kcfg`: the config `kernel build` uses (a whole .config, or a fragment added to xcluster's); a start boots the
   * kernel built with it.
   */
  kernelConfig?: string
  /** `__kobj`: where `kernel build` keeps its objects; a start then boots `<kernelObjects>/arch/x86/boot/bzImage`. */
  kernelObjects?: string
  /** Initramfs that loads the virtio modules; default: built by `xcluster image`. */
  initrd?: string
  /** Shared root disk (qcow2); each VM writes to its own overlay on it. */
  image?: string
  /**
   * The ISO of the overlays, /dev/vdb in every VM (__cdrom): start and mkcdrom write it here.
   * Default `<stateDir>/cdrom.iso`, removed at stop; a path elsewhere is kept.
   */
  cdrom?: string
  /**
   * A module (XCLUSTER_HOOK) whose exports `plugins` and `commands` add to every command: the
   * shell tool's hook file, as JavaScript or TypeScript.
   */
  hook?: string
  /** Where built artefacts live (XCLUSTER_WORKSPACE, default ~/.cache/xcluster). */
  workspace?: string
  /** Where one running cluster keeps its files (XCLUSTER_TMP, default /tmp/xcluster-<user>/<netns|main>). */
  stateDir?: string
  /** The one IPv6 /96 prefix of guests, bridges and NAT (1000::1:0.0.0.0/96). */
  ipv6Prefix?: string
  /** User-space networking ports and multicast groups. */
  ports?: Partial<PortSettings>
  /** Overlays unpacked on `/` of every VM at first boot: names along `ovlPath`, directories or .tar files. */
  overlays?: string[]
  /** Directories searched for overlays by name (XCLUSTER_OVLPATH, colon-separated). */
  ovlPath?: string[]
  /** How many VMs boot at once (default: the host's cores). */
  batch?: number
  /** Seconds a VM may take to boot before start fails (120). */
  bootTimeout?: number
  /** VMs start as copies of a booted template of their shape, made once per shape, instead of booting (no). */
  clone?: boolean
}

/** The settings a config may leave unset after every default: none of these has one. */
type Unset = 'kernelVersion' | 'kernelConfig' | 'kernelObjects' | 'hook' | 'overlays' | 'netSetupScript'

/**
 * The validated configuration: UserSettings with every default filled in, the groups whole, `accel` chosen (`auto`
 * decided); each setting is declared once, in UserSettings (a plugin's in PluginSettings).
 */
export type ClusterConfig = Required<
  Omit<UserSettings, Unset | keyof PluginSettings | 'nets' | 'ports' | 'node' | 'accel'>
> &
  Pick<UserSettings, Unset> &
  PluginSettings & {
    nets: Record<Role, number[]>
    ports: PortSettings
    node: Record<number, NodeOverride>
    accel: Exclude<Accel, 'auto'>
  }

/**
 * One source of settings (defaults, the file, the environment, the command line) and, for each
 * setting path it sets (`nodes`, `nets.vm`, `node.201.mem`), how the user spelled it there, so an
 * error can name `--nvm` or `__mem201` rather than an internal path.
 */
export interface ConfigLayer {
  config: UserSettings
  origins: Record<string, string>
}
