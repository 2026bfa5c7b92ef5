import { copyFile, rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { XclusterError } from '../errors.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { qmpCommand } from '../vm/qmp.js'
import { type SnapshotManifest, writeManifest } from './manifest.js'
import { saveMemory } from './migration-stream.js'
import { finishPartialDir, freshPartialDir, snapshotCdrom, vmSnapshotFiles } from './snapshot-files.js'

/** What a save needs of the cluster. */
export interface SavedCluster {
  stateDir: string
  workspace: string
  cdrom: string
  nodes: Node[]
  manifest: Omit<SnapshotManifest, 'name' | 'created' | 'nodes'>
  /** Flushes a VM's disks and freezes it (QMP stop). */
  pause(id: number): Promise<unknown>
  resume(id: number): Promise<unknown>
}

/** Waits until qemu's migration to a file ends; one that fails says why. */
async function migrated(qmp: string, node: Node): Promise<void> {
  for (let k = 0; k < 1200; k++) {
    const { status, 'error-desc': why } = (await qmpCommand(qmp, 'query-migrate')) as {
      status?: string
      'error-desc'?: string
    }
    if (status === 'completed') return
    if (status === 'failed' || status === 'cancelled')
      throw new XclusterError(`${node.hostname}: saving its memory failed: ${why ?? status}`)
    await sleep(100)
  }
  throw new XclusterError(`${node.hostname}: saving its memory took more than 120 s`)
}

/**
 * Saves every VM of a running cluster: all are frozen first (disks flushed), then each one's memory and devices (QMP
 * migrate to a file) and its disk are written, with the cdrom and a manifest; then they run on. A save that fails
 * leaves no snapshot, and the VMs run on.
 */
export async function saveSnapshot(cluster: SavedCluster, name: string): Promise<string> {
  const { partial, dir } = await freshPartialDir(cluster.workspace, name)
  const paused: number[] = []
  try {
    for (const node of cluster.nodes) {
      await cluster.pause(node.id)
      paused.push(node.id)
    }
    for (const node of cluster.nodes) {
      const { qmp, disk } = vmFiles(cluster.stateDir, node.id)
      const saved = vmSnapshotFiles(partial, node.id)
      await saveMemory(qmp, saved.memory)
      await migrated(qmp, node)
      await copyFile(disk, saved.disk)
    }
    await copyFile(cluster.cdrom, snapshotCdrom(partial))
    await writeManifest(partial, { name, created: new Date().toISOString(), nodes: cluster.nodes, ...cluster.manifest })
    await finishPartialDir(partial, dir)
    return dir
  } catch (error) {
    await rm(partial, { recursive: true, force: true })
    throw error
  } finally {
    for (const id of paused) await cluster.resume(id)
  }
}
