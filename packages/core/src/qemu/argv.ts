import type { ClusterContext } from '../contract/context.js'
import type { Node } from '../node/node.js'
import { vmFiles } from './state-files.js'

const DEFAULT_MTU = 1500

/**
 * The kernel command line as ONE word: console, root and init, `mtuN=` per net when not 1500, then
 * the node's extra args. `acpi=noirq` routes PCI interrupts by the BIOS's table: the kernel's ACPI
 * interpreter took 0.2 s per PCI link under emulation (0.8 s of each boot); ACPI stays on for the rest.
 */
export function kernelCommandLine(node: Node, mtu: number): string {
  const mtus = mtu === DEFAULT_MTU ? [] : node.nics.map((nic) => `mtu${nic.net}=${mtu}`)
  return ['console=ttyS0', 'acpi=noirq', 'root=/dev/vda', 'rw', 'init=/init', ...mtus, ...node.append].join(' ')
}

/** VMs of this much memory or less are the many-small-VMs case, where host memory is what counts. */
const SMALL_VM_MIB = 64
/**
 * TCG's translation cache of a small VM: qemu's default grows to about 75 MB after a boot, a third
 * of an idle VM of 64 MiB (166 MB RSS); 24 MiB holds it to 116 MB for about 0.2 s more of a boot.
 */
const SMALL_VM_TB_MIB = 24

function accelArgs(accel: 'kvm' | 'tcg', mem: number): string[] {
  if (accel === 'kvm') return ['-accel', 'kvm', '-cpu', 'host']
  return ['-accel', mem <= SMALL_VM_MIB ? `tcg,tb-size=${SMALL_VM_TB_MIB}` : 'tcg']
}

/**
 * The qemu argv of one node before plugins change it. Monitor, QMP and the serial console are
 * unix sockets in the state directory (never TCP), the console is also logged to a file, and
 * qemu daemonizes with a pidfile once the VM is set up.
 */
export function qemuArgv(node: Node, context: ClusterContext, nicArgs: string[]): string[] {
  const { config } = context
  const files = vmFiles(context.stateDir, node.id)
  const cdrom = context.cdrom ? ['-drive', `file=${context.cdrom},if=virtio,media=cdrom,readonly=on`] : []
  return [
    config.qemu,
    '-name',
    node.hostname,
    '-machine',
    config.machine,
    ...accelArgs(config.accel, node.mem),
    '-m',
    String(node.mem),
    '-smp',
    String(node.smp),
    '-kernel',
    config.kernel,
    '-initrd',
    config.initrd,
    '-drive',
    `file=${files.disk},if=virtio,format=qcow2`,
    ...cdrom,
    '-display',
    'none',
    '-monitor',
    `unix:${files.monitor},server=on,wait=off`,
    '-qmp',
    `unix:${files.qmp},server=on,wait=off`,
    '-qmp',
    `unix:${files.events},server=on,wait=off`,
    '-chardev',
    `socket,id=console,path=${files.console},server=on,wait=off,logfile=${files.consoleLog}`,
    '-serial',
    'chardev:console',
    '-pidfile',
    files.pid,
    '-daemonize',
    // Entropy from the host: the guest's random pool is ready at once instead of seconds into the
    // boot, which dropbear and dnsmasq wait for.
    '-object',
    'rng-random,filename=/dev/urandom,id=rng0',
    '-device',
    'virtio-rng-pci,rng=rng0',
    ...nicArgs,
    ...config.qemuArgs,
    '-append',
    kernelCommandLine(node, config.mtu),
  ]
}
