import { readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { XclusterError } from '../errors.js'
import { ifPresent } from '../host/if-present.js'
import { assertOwnFile, assertPrivateDirIfPresent, ensurePrivateDir } from '../host/trusted-path.js'
import { hostname } from '../node/addressing.js'
import { SNAPSHOT_NAME, type SnapshotManifest, manifestFile, parseManifest } from './manifest.js'

/** The files a snapshot directory may hold: what a save writes, nothing else. */
const SNAPSHOT_FILE = /^(snapshot\.json|cdrom\.iso|vm-\d{3}\.(mem|qcow2))$/

/** Where snapshots live: `<workspace>/snapshots`, private. */
export const snapshotsDir = (workspace: string) => join(workspace, 'snapshots')

/** A snapshot's directory, its name checked. */
export function snapshotDir(workspace: string, name: string): string {
  if (!SNAPSHOT_NAME.test(name))
    throw new XclusterError(`snapshot name ${JSON.stringify(name)}: a letter or digit, then up to 63 of them or _ . -`)
  return join(snapshotsDir(workspace), name)
}

/** The files of one VM in a snapshot: its memory and device state (qemu's migration stream) and its disk. */
export const vmSnapshotFiles = (dir: string, id: number) => ({
  memory: join(dir, `${hostname(id)}.mem`),
  disk: join(dir, `${hostname(id)}.qcow2`),
})

export const snapshotCdrom = (dir: string) => join(dir, 'cdrom.iso')

/**
 * Refuses a snapshot another user could have written or changed: its directories must be private and yours, and each
 * file in it one a save writes, a regular file of yours that nobody else can write (a link to a root-only file would
 * become a guest's cdrom).
 */
async function assertOwnSnapshot(workspace: string, dir: string): Promise<void> {
  await assertPrivateDirIfPresent(snapshotsDir(workspace), 'snapshot directory')
  await assertPrivateDirIfPresent(dir, 'snapshot directory')
  for (const file of await readdir(dir)) {
    if (!SNAPSHOT_FILE.test(file))
      throw new XclusterError(`refusing the snapshot ${dir}: ${JSON.stringify(file)} is not a file a save writes`)
    await assertOwnFile(join(dir, file), `the snapshot ${dir}`)
  }
}

/** A snapshot's manifest, after its files are checked as yours; an unknown name is an error listing those there are. */
export async function readManifest(workspace: string, name: string): Promise<SnapshotManifest> {
  const dir = snapshotDir(workspace, name)
  if (!(await ifPresent(stat(manifestFile(dir))))) {
    const names = (await listSnapshots(workspace)).map((s) => s.name)
    throw new XclusterError(`no snapshot ${name} (${names.length > 0 ? `there are: ${names.join(', ')}` : 'none yet'})`)
  }
  await assertOwnSnapshot(workspace, dir)
  const manifest = await parseManifest(dir)
  if (manifest.name !== name) throw new XclusterError(`${manifestFile(dir)} names another snapshot: ${manifest.name}`)
  return manifest
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

/** One snapshot as `list` shows it: when it was taken, its VMs and its size, or why it cannot be read. */
export type ListedSnapshot =
  | { name: string; created: string; vms: string[]; bytes: number; problem?: undefined }
  | { name: string; problem: string }

/** The snapshots there are; one that cannot be read is listed with why, the others as usual. */
export async function listSnapshots(workspace: string): Promise<ListedSnapshot[]> {
  await assertPrivateDirIfPresent(snapshotsDir(workspace), 'snapshot directory')
  const names = ((await ifPresent(readdir(snapshotsDir(workspace)))) ?? []).filter(
    (n) => SNAPSHOT_NAME.test(n) && !n.endsWith('.partial'),
  )
  const found: ListedSnapshot[] = []
  for (const name of names.sort()) {
    const dir = snapshotDir(workspace, name)
    try {
      if (!(await ifPresent(stat(manifestFile(dir))))) continue
      const manifest = await readManifest(workspace, name)
      let bytes = 0
      for (const file of await readdir(dir)) bytes += (await stat(join(dir, file))).size
      found.push({ name, created: manifest.created, vms: manifest.nodes.map((n) => n.hostname), bytes })
    } catch (error) {
      found.push({ name, problem: (error as Error).message })
    }
  }
  return found
}

export async function deleteSnapshot(workspace: string, name: string): Promise<void> {
  await readManifest(workspace, name)
  await rm(snapshotDir(workspace, name), { recursive: true, force: true })
}
