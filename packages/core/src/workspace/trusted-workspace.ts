import { type Stats, lstatSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { yoursOrRoots } from '../host/owner.js'
import { whyUntrusted } from '../host/trusted-path.js'

/** How deep the check looks: `kernels/<key>/bzImage`, `images/<key>/hd.qcow2`, `snapshots/<name>/vm-001.mem`. */
const DEPTH = 3

/** Why another user may have written this entry of the workspace; undefined when only you or root can have. */
function foreign(path: string, owner: number, mode: number, isLink: boolean): string | undefined {
  if (!yoursOrRoots(path, owner)) return `${path} is owned by uid ${owner}, not by you or root`
  if (!isLink && (mode & 0o022) !== 0)
    return `${path} is writable by group or others (mode ${(mode & 0o777).toString(8)})`
  return undefined
}

/**
 * What the walk does not enter: the config compile cache (`~/.cache/xcluster/config-cache`, the default workspace's),
 * hundreds of files, made private and checked as such each time jiti is given it (config/load.ts).
 */
const CHECKED_WHEN_USED = new Set(['config-cache'])

/** What is there, or nothing (gone since it was listed). */
function present<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

/**
 * The first entry another user may have written, `depth` levels down. Synchronous: every command walks it before
 * it starts, hundreds of entries (a template is six files), and one lstat at a time through the thread pool took
 * 30 ms of a 90 ms `status` where this takes 3.
 */
function walk(dir: string, depth: number, top = false): string | undefined {
  for (const entry of present(() => readdirSync(dir)) ?? []) {
    const path = join(dir, entry)
    const s: Stats | undefined = present(() => lstatSync(path))
    if (!s) continue
    const problem = foreign(path, s.uid, s.mode, s.isSymbolicLink())
    if (problem) return problem
    if (s.isDirectory() && depth > 1 && !(top && CHECKED_WHEN_USED.has(entry))) {
      const below = walk(path, depth - 1)
      if (below) return below
    }
  }
  return undefined
}

/**
 * Refuses a workspace another user could have written into: its kernels are booted, its programs (bin/coredns) run,
 * its key opens every VM and its snapshots are restored, all as whoever runs xcluster. The workspace, the directories
 * above it and what it holds (three levels down) must be yours or root's and writable by nobody else. A workspace
 * not made yet passes: it is made private.
 */
export async function assertTrustedWorkspace(workspace: string): Promise<void> {
  const path = resolve(workspace)
  const top = lstatSync(path, { throwIfNoEntry: false })
  if (!top) return
  const problem =
    (await whyUntrusted(path)) ?? foreign(path, top.uid, top.mode, top.isSymbolicLink()) ?? walk(path, DEPTH, true)
  if (problem)
    throw new XclusterError(
      `refusing the workspace ${path} (workspace, XCLUSTER_WORKSPACE): ${problem}; what is in it is run and booted as` +
        ' you: use a workspace only you can write, or remove what another user made there',
    )
}
