import { copyFile, rm } from 'node:fs/promises'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { type SnapshotManifest, writeManifest } from './manifest.js'
import { migrationDone, saveMemory } from './migration-stream.js'
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
      await migrationDone(qmp, node.hostname)
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
