import { rm } from 'node:fs/promises'
import { execa } from 'execa'
import { XclusterError } from '../errors.js'
import { run } from '../host/run.js'
import type { Node } from '../node/node.js'
import type { VmFiles } from '../qemu/state-files.js'

export async function removeVmFiles(files: VmFiles): Promise<void> {
  await Promise.all(Object.values(files).map((path) => rm(path, { force: true })))
}

/** A fresh qcow2 overlay on the shared image: every start is a first boot. */
export async function createDisk(files: VmFiles, image: string): Promise<void> {
  await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image, '-F', 'qcow2', files.disk])
}

/** Runs qemu, which daemonizes once the VM is set up; an error carries what qemu said. */
export async function launchQemu(node: Node, argv: string[]): Promise<void> {
  const result = await execa(argv[0], argv.slice(1), { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', reject: false })
  if (result.failed) {
    throw new XclusterError(`${node.hostname}: qemu failed to start: ${(result.stderr || result.shortMessage || "").trim()}`)
  }
}
