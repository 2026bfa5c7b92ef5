import { copyFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { XclusterError } from '../errors.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { qmpCommand } from '../vm/qmp.js'
import { vmSnapshotFiles } from './snapshot-files.js'

/** A start that brings VMs back from a snapshot's directory instead of booting them. */
export interface Restore {
  dir: string
}

/** The VM's disk as saved, in place of a fresh one; its argv takes the saved memory and devices. */
export async function restoredDisk(restore: Restore, stateDir: string, node: Node): Promise<void> {
  await copyFile(vmSnapshotFiles(restore.dir, node.id).disk, vmFiles(stateDir, node.id).disk)
}

export function restoredArgv(restore: Restore, node: Node, argv: string[]): string[] {
  return [...argv, '-incoming', `exec:cat ${vmSnapshotFiles(restore.dir, node.id).memory}`]
}

/**
 * Waits until qemu has read the saved state (it stays frozen, as it was saved), then lets it run; fails early if qemu
 * dies.
 */
export async function resumeRestored(
  stateDir: string,
  node: Node,
  timeoutSeconds: number,
  alive: () => Promise<boolean>,
): Promise<void> {
  const { qmp } = vmFiles(stateDir, node.id)
  const deadline = Date.now() + timeoutSeconds * 1000
  for (;;) {
    if (!(await alive())) throw new XclusterError(`${node.hostname} stopped while its saved state was read`)
    const status = (await qmpCommand(qmp, 'query-status').catch(() => undefined)) as { status?: string } | undefined
    if (status?.status === 'paused' || status?.status === 'running') break
    if (Date.now() > deadline)
      throw new XclusterError(`${node.hostname}: its saved state was not read within ${timeoutSeconds} s (bootTimeout)`)
    await sleep(50)
  }
  await qmpCommand(qmp, 'cont')
}
