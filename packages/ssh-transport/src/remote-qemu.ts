import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  CONTROL_SOCKETS,
  type Host,
  type Node,
  type VmLaunch,
  XclusterError,
  createDisk,
  vmFiles,
} from '@xcluster/core'
import { type SshMachine, overSsh, remoteLine, sendFile, sshWords } from './ssh-machine.js'

// The local pid file is one word of the ssh command line (core knows the VM's process by it) and of the remote shell's.
const PLAIN_PATH = /^\/[A-Za-z0-9_./-]+$/

/** Where a VM runs on a machine: the machine, a directory of xcluster's there, and the network namespace. */
export interface MachinePlace extends SshMachine {
  /** Its name in messages. */
  name: string
  /** The directory of xcluster's on the machine that holds what the VM boots and its files. */
  dir?: string
  /** The network namespace qemu runs in there (`nsenter --net=`). */
  netns: string
}

/**
 * Runs a VM's qemu on a machine. Its kernel, initrd, image and cdrom are copied there (once each), its disk
 * made there; here an ssh process stands for it: its pid is the VM's pid file, it forwards the VM's monitor, QMP
 * (both) and console sockets from their paths here to theirs there, and brings the console back as its output (the
 * VM's console log here). qemu runs in the foreground in the host's namespace, so the ssh process ends when the VM
 * does.
 */
export async function launchOnMachine(host: Host, on: MachinePlace, node: Node, vm: VmLaunch) {
  const dir = on.dir
  if (!dir) throw new XclusterError(`${node.hostname}: host ${on.name} has no directory on its machine`)
  const machine = { via: on.via, sshConfig: on.sshConfig, control: on.control }
  // The process that stands for the VM has a connection of its own: its forwards end with it.
  const own = sshWords({ ...machine, control: undefined })
  const here = vm.files
  const there = vmFiles(dir, node.id)
  if (!PLAIN_PATH.test(here.pid))
    throw new XclusterError(
      `${node.hostname}: the state directory of ${here.pid} must be a plain path for a VM on a machine`,
    )
  // What it boots, copied there once each.
  const boot = {
    kernel: join(dir, 'kernel'),
    initrd: join(dir, 'initrd'),
    image: join(dir, 'image.qcow2'),
    ...(vm.boot.cdrom ? { cdrom: join(dir, 'cdrom.iso') } : {}),
  }
  const copies = [
    [vm.boot.kernel, boot.kernel],
    [vm.boot.initrd, boot.initrd],
    [vm.boot.image, boot.image],
    ...(vm.boot.cdrom && boot.cdrom ? [[vm.boot.cdrom, boot.cdrom]] : []),
  ]
  await Promise.all(copies.map(([from, to]) => sendFile(host, machine, from, to)))
  await createDisk(overSsh(host, machine), there, boot.image)
  // The console log is this ssh process's output: qemu writes it to its stdout.
  const moved = vm.argvWith({ ...there, ...boot, consoleLog: '/dev/stdout' }).filter((word) => word !== '-daemonize')
  const forwards = CONTROL_SOCKETS.flatMap((k) => ['-L', `${here[k]}:${there[k]}`])
  const pid = await host.spawnDetached(
    'ssh',
    [
      ...own.slice(0, -1),
      '-o',
      'ExitOnForwardFailure=yes',
      '-o',
      'StreamLocalBindUnlink=yes',
      ...forwards,
      ...own.slice(-1),
      '--',
      ':',
      here.pid,
      '&&',
      remoteLine(['exec', 'nsenter', `--net=${on.netns}`, ...moved]),
    ],
    here.consoleLog,
  )
  await writeFile(here.pid, `${pid}\n`)
}
