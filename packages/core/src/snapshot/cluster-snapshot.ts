import { imageFiles } from '@xcluster/image/image-files'
import type { ClusterContext } from '../contract/context.js'
import type { Plugin } from '../contract/plugin.js'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import type { Host } from '../host/host.js'
import type { Node } from '../node/node.js'
import type { VmState } from '../runtime/vm-states.js'
import { chooseKernel } from '../workspace/choose-kernel.js'
import { valueAt } from '../config/setting-values.js'
import { type SnapshotIdentity, differences } from './manifest.js'
import { type Restore, assertSavedDisks } from './restore.js'
import { saveSnapshot } from './save.js'
import { type Template, madeTemplate } from '../clone/template-store.js'
import { readManifest, snapshotDir } from './snapshot-files.js'

/** What the snapshots of a cluster need of it. */
export interface SnapshotCluster {
  readonly config: ClusterConfig
  readonly plugins: Plugin[]
  readonly host: Host
  context(nodes: Node[], targets: Node[]): ClusterContext
  status(): Promise<{ vms: VmState[] }>
  pauseVm(id: number): Promise<Node>
  resumeVm(id: number): Promise<Node>
  inVm(id: number, script: string): Promise<string>
}

/** What a snapshot of this cluster is taken of, as a start would run it now. */
async function snapshotIdentity(cluster: SnapshotCluster): Promise<SnapshotIdentity> {
  // qemu writes and reads a VM's state where it runs: on another host (the `hosts` of a plugin of that role), out of
  // this machine's files.
  const spread = cluster.plugins.some((plugin) => plugin.provides?.includes('hosts'))
  if (spread && valueAt(cluster.config, 'hosts') !== undefined)
    throw new XclusterError('snapshots of a cluster across hosts (`hosts`): not yet')
  const kernel = await chooseKernel(cluster.config, imageFiles(cluster.config.workspace).kernel)
  const { initrd, image } = cluster.context([], []).config
  return {
    kernel: kernel.path,
    initrd,
    image,
    plugins: cluster.plugins.map((plugin) => plugin.name),
  }
}

/** A snapshot that can be restored here (its directory and VMs); one of another kernel, image or plugins is not. */
export async function restorable(cluster: SnapshotCluster, name: string): Promise<Restore & { nodes: Node[] }> {
  const manifest = await readManifest(cluster.config.workspace, name)
  const now = await snapshotIdentity(cluster)
  const differs = differences(manifest, now)
  if (differs.length > 0)
    throw new XclusterError(`snapshot ${name} was taken of another cluster:\n  ${differs.join('\n  ')}`)
  const dir = snapshotDir(cluster.config.workspace, name)
  const templates = new Map<number, Template>()
  for (const { id, key } of manifest.templates ?? []) {
    const template = await madeTemplate(cluster.config.workspace, key)
    if (!template)
      throw new XclusterError(`snapshot ${name}: vm ${id} is a clone of the template ${key}, which is gone: refused`)
    templates.set(id, template)
  }
  await assertSavedDisks(cluster.host, dir, manifest.nodes, now.image, templates)
  return { dir, nodes: manifest.nodes, templates }
}

/** Restored guests' clocks are set to now: they stood still from the save. */
export async function setClocks(cluster: SnapshotCluster, nodes: Node[]): Promise<void> {
  const now = new Date().toISOString().replace('T', ' ').slice(0, 19)
  await Promise.all(nodes.map((node) => cluster.inVm(node.id, `date -u -s '${now}' >/dev/null`)))
}

/**
 * Saves the running cluster as snapshot `name` under the workspace: every VM's memory, devices and disk, the cdrom,
 * and what it was taken of. Every recorded VM must run; they run on after the save.
 */
export async function saveClusterSnapshot(cluster: SnapshotCluster, name: string): Promise<string> {
  snapshotDir(cluster.config.workspace, name)
  const { vms } = await cluster.status()
  const down = vms.filter((vm) => vm.pid === undefined).map((vm) => vm.node.hostname)
  if (vms.length === 0) throw new XclusterError('no cluster runs here: `xcluster start` first')
  if (down.length > 0)
    throw new XclusterError(
      `${down.join(', ')} ${down.length > 1 ? 'are' : 'is'} down: a snapshot holds a whole cluster`,
    )
  const templates = vms.flatMap(({ node, template }) => (template ? [{ id: node.id, key: template }] : []))
  const { config } = cluster
  return saveSnapshot(
    {
      stateDir: config.stateDir,
      workspace: config.workspace,
      cdrom: config.cdrom,
      nodes: vms.map((vm) => vm.node),
      manifest: { ...(await snapshotIdentity(cluster)), ...(templates.length > 0 ? { templates } : {}) },
      pause: (id) => cluster.pauseVm(id),
      resume: (id) => cluster.resumeVm(id),
    },
    name,
  )
}
