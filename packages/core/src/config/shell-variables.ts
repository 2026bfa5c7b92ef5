import type { ClusterConfig } from './types.js'

const list = (values: readonly (string | number)[], separator = ' ') => values.join(separator)

/**
 * The settings under the names the shell tool gave them (`__nvm`, `XCLUSTER_WORKSPACE`,
 * `__image`, ...), each one a name the environment layer reads back to the same setting.
 */
export function shellVariables(config: ClusterConfig): Record<string, string> {
  const vars: Record<string, string> = {
    __nvm: String(config.nodes),
    __nrouters: String(config.routers),
    __ntesters: String(config.testers),
    __nets_vm: list(config.nets.vm, ','),
    __nets_router: list(config.nets.router, ','),
    __nets_tester: list(config.nets.tester, ','),
    __mem: String(config.mem),
    __smp: String(config.smp),
    __mtu: String(config.mtu),
    __append: list(config.append),
    __kvm_opt: list(config.qemuArgs),
    __kvm: config.qemu,
    __machine: config.machine,
    __kbin: config.kernel,
    __initrd: config.initrd,
    __image: config.image,
    __cdrom: config.cdrom,
    __batch: String(config.batch),
    __boot_timeout: String(config.bootTimeout),
    XCLUSTER_ACCEL: config.accel,
    XCLUSTER_TELNET: config.telnet ? 'yes' : 'no',
    XCLUSTER_WORKSPACE: config.workspace,
    XCLUSTER_TMP: config.stateDir,
    XCLUSTER_IPV6_PREFIX: config.ipv6Prefix,
    XCLUSTER_OVLPATH: list(config.ovlPath, ':'),
    XCLUSTER_TELNET_BASE: String(config.ports.telnet),
    XCLUSTER_SSH_BASE: String(config.ports.ssh),
    XCLUSTER_K8S_PORT: String(config.ports.k8s),
    XCLUSTER_K8S_TLS_PORT: String(config.ports.k8sTls),
    XCLUSTER_MCAST_BASE: String(config.ports.mcastBase),
    XCLUSTER_MCAST_PORT: String(config.ports.mcastPort),
    XOVLS: list(config.overlays),
  }
  if (config.netSetupScript) vars.__net_setup = config.netSetupScript
  if (config.kernelVersion) vars.__kver = config.kernelVersion
  if (config.kernelConfig) vars.__kcfg = config.kernelConfig
  if (config.kernelObjects) vars.__kobj = config.kernelObjects
  if (config.hook) vars.XCLUSTER_HOOK = config.hook
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
