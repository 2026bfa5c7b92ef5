import { rm } from 'node:fs/promises'
import { XclusterError } from '../errors.js'
import { CommandFailed, type Host } from '../host/host.js'
import type { Node } from '../node/node.js'
import type { VmFiles } from '../qemu/state-files.js'

export async function removeVmFiles(files: VmFiles): Promise<void> {
  await Promise.all(Object.values(files).map((path) => rm(path, { force: true })))
}

/** A fresh qcow2 overlay on the shared image: every start is a first boot. */
export async function createDisk(host: Pick<Host, 'run'>, files: Pick<VmFiles, 'disk'>, image: string): Promise<void> {
  await host.run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image, '-F', 'qcow2', files.disk])
}

/** Runs qemu, which daemonizes once the VM is set up; an error carries what qemu said. */
export async function launchQemu(host: Host, node: Pick<Node, 'hostname'>, argv: string[]): Promise<void> {
  try {
    await host.run(argv[0], argv.slice(1))
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error
    throw new XclusterError(`${node.hostname}: qemu failed to start: ${error.stderr.trim()}`)
  }
}
