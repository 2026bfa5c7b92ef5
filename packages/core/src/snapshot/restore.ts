import { copyFile, realpath } from 'node:fs/promises'
import { z } from 'zod'
import { XclusterError } from '../errors.js'
import type { ClusterContext } from '../contract/context.js'
import type { BootStrategy } from '../runtime/boot-strategy.js'
import { withCloneDevices } from '../clone/clone-devices.js'
import type { Template } from '../clone/template-store.js'
import { markClone } from '../clone/clone-mark.js'
import type { Host } from '../host/host.js'
import { ifPresent } from '../host/if-present.js'
import type { Node } from '../node/node.js'
import { vmFiles } from '../qemu/state-files.js'
import { parseJsonAs } from '../schema/read-json.js'
import { ignoreSharedMemory, runFromState } from './migration-stream.js'
import { vmSnapshotFiles } from './snapshot-files.js'

/** A start that brings VMs back from a snapshot's directory instead of booting them. */
export interface Restore {
  dir: string
  /** The templates of the VMs that were clones, by node id. */
  templates: ReadonlyMap<number, Template>
}

const diskInfo = z.object({ 'backing-filename': z.string().optional(), format: z.literal('qcow2') })

/**
 * Each VM's saved disk must be a qcow2 over the cluster's image and nothing else: a disk may name any backing file,
 * which qemu would open as the VM's. Checked before anything of a restore is made.
 */
export async function assertSavedDisks(
  host: Host,
  dir: string,
  nodes: Node[],
  image: string,
  templates: ReadonlyMap<number, Template>,
): Promise<void> {
  for (const node of nodes) {
    const { disk } = vmSnapshotFiles(dir, node.id)
    const info = parseJsonAs(diskInfo, await host.run('qemu-img', ['info', '--output=json', disk]), `the disk ${disk}`)
    const backing = info['backing-filename']
    // A clone's disk is a layer over its template's; a booted VM's over the image, which a start may name by a link.
    const base = templates.get(node.id)?.disk ?? image
    const same =
      backing !== undefined && (await ifPresent(realpath(backing))) === ((await ifPresent(realpath(base))) ?? base)
    const what = templates.has(node.id) ? "its template's disk" : "the cluster's image"
    if (!same)
      throw new XclusterError(`the disk ${disk} is backed by ${backing ?? 'nothing'}, not ${what} ${base}: refused`)
  }
}

/** VMs brought back from snapshot `restore`: each VM's saved disk, then its saved memory and devices streamed in. */
export function restored(restore: Restore, context: ClusterContext): BootStrategy {
  return {
    describe: (node) => `restoring ${node.hostname}`,
    disk: (node, files) => copyFile(vmSnapshotFiles(restore.dir, node.id).disk, files.disk),
    // qemu waits for the saved state, which untilUp streams in; a clone has its template's devices again.
    argv: (node, argv) => {
      const template = restore.templates.get(node.id)
      const { identity } = vmFiles(context.stateDir, node.id)
      const devices = template && withCloneDevices(argv, { memory: template.memory, share: false, identity })
      return [...(devices ?? argv), '-incoming', 'defer']
    },
    async untilUp(node, alive) {
      const template = restore.templates.get(node.id)
      // A clone was saved with x-ignore-shared on (it was restored from its template so): the stream then says where
      // each RAM block is, and is read back only with the same capability (its RAM, not shared, is in it whole).
      const files = vmFiles(context.stateDir, node.id)
      if (template) await ignoreSharedMemory(files.qmp)
      const state = { file: vmSnapshotFiles(restore.dir, node.id).memory, what: 'its saved state' }
      await runFromState(files.qmp, state, node.hostname, context.config.bootTimeout, alive)
      if (template) await markClone(files, template.key)
    },
  }
}
