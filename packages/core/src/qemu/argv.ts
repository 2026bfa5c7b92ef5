import type { ClusterContext } from '../lifecycle/context.js'
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

function accelArgs(accel: 'kvm' | 'tcg'): string[] {
  return accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg']
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
    '-name', node.hostname,
    '-machine', config.machine,
    ...accelArgs(config.accel),
    '-m', String(node.mem),
    '-smp', String(node.smp),
    '-kernel', config.kernel,
    '-initrd', config.initrd,
    '-drive', `file=${files.disk},if=virtio,format=qcow2`,
    ...cdrom,
    '-display', 'none',
    '-monitor', `unix:${files.monitor},server=on,wait=off`,
    '-qmp', `unix:${files.qmp},server=on,wait=off`,
    '-chardev', `socket,id=console,path=${files.console},server=on,wait=off,logfile=${files.consoleLog}`,
    '-serial', 'chardev:console',
    '-pidfile', files.pid,
    '-daemonize',
    // Entropy from the host: the guest's random pool is ready at once instead of seconds into the
    // boot, which dropbear and dnsmasq wait for.
    '-object', 'rng-random,filename=/dev/urandom,id=rng0',
    '-device', 'virtio-rng-pci,rng=rng0',
    // Free page reporting: a guest whose kernel has the balloon driver (the built one) hands the
    // memory it does not use back to the host (idle RSS); the cloud kernel leaves it unused.
    '-device', 'virtio-balloon-pci,free-page-reporting=on',
    ...nicArgs,
    ...config.qemuArgs,
    '-append', kernelCommandLine(node, config.mtu),
  ]
}
