import { readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { XclusterError } from '../errors.js'
import { ensurePrivateDir } from '../host/trusted-path.js'
import { ifPresent } from '../host/if-present.js'
import { hostname } from '../node/addressing.js'
import type { Node } from '../node/node.js'

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
// The memory file's path is a word of qemu's `exec:` migration, which a shell reads.
const PLAIN = /^\/[A-Za-z0-9_./-]+$/

/** What a snapshot holds besides its files: what it was taken of, compared at a restore. */
export interface SnapshotManifest {
  name: string
  created: string
  nodes: Node[]
  plugins: string[]
  kernel: string
  initrd: string
  image: string
}

/** Where snapshots live: `<workspace>/snapshots`, private. */
export const snapshotsDir = (workspace: string) => join(workspace, 'snapshots')

/** A snapshot's directory, its name checked. */
export function snapshotDir(workspace: string, name: string): string {
  if (!NAME.test(name))
    throw new XclusterError(`snapshot name ${JSON.stringify(name)}: a letter or digit, then up to 63 of them or _ . -`)
  const dir = join(snapshotsDir(workspace), name)
  if (!PLAIN.test(dir)) throw new XclusterError(`snapshots need a workspace of plain characters: ${dir}`)
  return dir
}

/** The files of one VM in a snapshot: its memory and device state (qemu's migration stream) and its disk. */
export const vmSnapshotFiles = (dir: string, id: number) => ({
  memory: join(dir, `${hostname(id)}.mem`),
  disk: join(dir, `${hostname(id)}.qcow2`),
})

export const snapshotCdrom = (dir: string) => join(dir, 'cdrom.iso')
const manifestFile = (dir: string) => join(dir, 'snapshot.json')

export async function writeManifest(dir: string, manifest: SnapshotManifest): Promise<void> {
  await writeFile(manifestFile(dir), JSON.stringify(manifest, null, 2))
}

/** A snapshot's manifest; an unknown name is an error listing those there are. */
export async function readManifest(workspace: string, name: string): Promise<SnapshotManifest> {
  const text = await ifPresent(readFile(manifestFile(snapshotDir(workspace, name)), 'utf8'))
  if (text === undefined) {
    const names = (await listSnapshots(workspace)).map((s) => s.name)
    throw new XclusterError(`no snapshot ${name} (${names.length > 0 ? `there are: ${names.join(', ')}` : 'none yet'})`)
  }
  return JSON.parse(text)
}

/** What a snapshot must match to be restored: the kernel, initrd and image the VMs run, and the plugins. */
export type SnapshotIdentity = Pick<SnapshotManifest, 'kernel' | 'initrd' | 'image' | 'plugins'>

/** How a snapshot differs from what would start now: each difference named, with both values. */
export function differences(manifest: SnapshotManifest, now: SnapshotIdentity): string[] {
  const keys = ['kernel', 'initrd', 'image', 'plugins'] as const
  const shown = (value: string | string[]) => (Array.isArray(value) ? value.join(',') : value) || 'none'
  return keys
    .filter((key) => shown(manifest[key]) !== shown(now[key]))
    .map((key) => `${key}: the snapshot has ${shown(manifest[key])}, now ${shown(now[key])}`)
}

/** A snapshot being written goes to `<name>.partial`, renamed when whole: a failed save leaves nothing. */
export async function freshPartialDir(workspace: string, name: string): Promise<{ partial: string; dir: string }> {
  const dir = snapshotDir(workspace, name)
  if (await ifPresent(stat(dir)))
    throw new XclusterError(`snapshot ${name} exists: \`xcluster snapshot delete ${name}\` first`)
  await ensurePrivateDir(snapshotsDir(workspace), 'snapshot directory')
  const partial = `${dir}.partial`
  await rm(partial, { recursive: true, force: true })
  await ensurePrivateDir(partial, 'snapshot directory')
  return { partial, dir }
}

export async function finishPartialDir(partial: string, dir: string): Promise<void> {
  await rename(partial, dir)
}

/** The snapshots there are, with when each was taken, its VMs and its size on disk. */
export async function listSnapshots(workspace: string) {
  const names = ((await ifPresent(readdir(snapshotsDir(workspace)))) ?? []).filter(
    (n) => NAME.test(n) && !n.endsWith('.partial'),
  )
  const found = []
  for (const name of names.sort()) {
    const dir = snapshotDir(workspace, name)
    const text = await ifPresent(readFile(manifestFile(dir), 'utf8'))
    if (!text) continue
    const manifest: SnapshotManifest = JSON.parse(text)
    let bytes = 0
    for (const file of await readdir(dir)) bytes += (await stat(join(dir, file))).size
    found.push({ name, created: manifest.created, vms: manifest.nodes.map((n) => n.hostname), bytes })
  }
  return found
}

export async function deleteSnapshot(workspace: string, name: string): Promise<void> {
  await readManifest(workspace, name)
  await rm(snapshotDir(workspace, name), { recursive: true, force: true })
}
