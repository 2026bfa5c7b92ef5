import { chmod, mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { type Stats, lstatSync, realpathSync, statSync } from 'node:fs'
import { XclusterError } from '../errors.js'
import { euid, rootOwned, yoursOrRoots } from './owner.js'

// The checks read metadata synchronously: a few calls per path, which one at a time through the thread pool left a
// command waiting (idle) for milliseconds at every package, hook and file it checks.

const STICKY = 0o1000
const writableByOthers = (s: Stats) => (s.mode & 0o022) !== 0

/** Whether `s` is a symbolic link another user made (it may point wherever they chose). */
const foreignLink = (path: string, s: Stats) => s.isSymbolicLink() && !yoursOrRoots(path, s.uid)

/** Why a file or directory may have been written by another user; undefined when only root or this user can have. */
export function untrusted(path: string, s: Stats): string | undefined {
  if (!yoursOrRoots(path, s.uid)) return `${path} is owned by uid ${s.uid}, not by you or root`
  if (writableByOthers(s) && !(s.isDirectory() && rootOwned(path, s.uid) && s.mode & STICKY))
    return `${path} is writable by group or others (mode ${(s.mode & 0o7777).toString(8)})`
  return undefined
}

/**
 * Why another user may have written `path` or a directory above it (resolved); undefined when only root or you can
 * have.
 */
export async function whyUntrusted(path: string): Promise<string | undefined> {
  const link = lstatSync(path)
  if (foreignLink(path, link)) return `${path} is a symbolic link of uid ${link.uid}`
  for (let dir = realpathSync.native(path); ; dir = dirname(dir)) {
    const problem = untrusted(dir, statSync(dir))
    if (problem) return problem
    if (dir === dirname(dir)) return undefined
  }
}

/** Every directory from `/` down to `dir` (resolved) is one only root or this user can change. */
async function assertTrustedChain(dir: string, what: string): Promise<void> {
  const problem = await whyUntrusted(dir)
  if (problem) throw new XclusterError(`refusing ${what}: ${problem}`)
}

/**
 * Refuses code another user could have written: the file itself and every directory above it
 * must belong to root or to you and be writable by nobody else (sticky root directories like
 * /tmp excepted as parents).
 */
export async function assertTrustedFile(file: string, what: string): Promise<void> {
  const s = lstatSync(file)
  const linkProblem = foreignLink(file, s)
    ? `${file} is a symbolic link of uid ${s.uid}, not of you or root`
    : undefined
  const problem = s.isSymbolicLink() ? linkProblem : untrusted(file, s)
  if (problem)
    throw new XclusterError(`refusing ${what}: ${problem}; fix its owner and mode (chown, chmod go-w) or move it`)
  await assertTrustedChain(dirname(resolve(file)), what)
  if (s.isSymbolicLink()) await assertTrustedFile(realpathSync.native(file), what)
}

/** A directory that must be yours alone: not a symlink, owned by you, writable by nobody else. */
async function assertPrivate(path: string, s: Stats, what: string): Promise<void> {
  const problem = s.isSymbolicLink()
    ? `${path} is a symbolic link`
    : !s.isDirectory()
      ? `${path} is not a directory`
      : s.uid !== euid()
        ? `${path} is owned by uid ${s.uid}, not by you`
        : writableByOthers(s)
          ? `${path} is writable by group or others (mode ${(s.mode & 0o777).toString(8)})`
          : undefined
  if (problem)
    throw new XclusterError(`refusing the ${what} ${path}: ${problem}; remove it, or choose another directory`)
}

/**
 * Refuses a path that goes through another user's symbolic link: with fs.protected_symlinks off,
 * such a link in /tmp would send root's files wherever that user chose.
 */
export async function assertNoForeignLinks(path: string, what: string): Promise<void> {
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) {
    const s = lstatSync(dir, { throwIfNoEntry: false })
    if (s && foreignLink(dir, s)) {
      throw new XclusterError(
        `refusing the ${what} ${path}: ${dir} is a symbolic link of uid ${s.uid}, not of you or root; remove it, or` +
          ` choose another directory`,
      )
    }
  }
}

/**
 * Makes `dir` (and its missing parents) with mode 0700, never through a symbolic link, and
 * checks it and the directories above it: another user must not be able to plant files in it.
 */
export async function ensurePrivateDir(dir: string, what: string): Promise<void> {
  const path = resolve(dir)
  await assertNoForeignLinks(path, what)
  const parent = dirname(path)
  if (lstatSync(parent, { throwIfNoEntry: false }) === undefined) await ensurePrivateDir(parent, what)
  else {
    // Nothing is made inside another user's tree: the refusal comes before the directory.
    const problem = await whyUntrusted(parent)
    if (problem)
      throw new XclusterError(`refusing the ${what} ${path}: ${problem}; remove it, or choose another directory`)
  }
  await mkdir(path, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw new XclusterError(`cannot make the ${what} ${path}: ${error.message}`)
  })
  await assertPrivateDirIfPresent(path, what)
  await chmod(path, 0o700)
}

/**
 * Refuses a file xcluster reads back as its own data or runs (a snapshot's memory, a key, a cached program) unless it
 * is a regular file (not a link) of yours that nobody else can write, in a directory chain only you or root can change.
 */
export async function assertOwnFile(file: string, what: string): Promise<void> {
  const s = lstatSync(file)
  const problem = !s.isFile()
    ? `${file} is ${s.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}`
    : s.uid !== euid()
      ? `${file} is owned by uid ${s.uid}, not by you`
      : writableByOthers(s)
        ? `${file} is writable by group or others (mode ${(s.mode & 0o777).toString(8)})`
        : undefined
  if (problem) throw new XclusterError(`refusing ${what}: ${problem}; only files you made are read back`)
  await assertTrustedChain(dirname(resolve(file)), what)
}

/** Checks `dir` like ensurePrivateDir when it exists; a missing one is fine (nothing to trust yet). */
export async function assertPrivateDirIfPresent(dir: string, what: string): Promise<void> {
  await assertNoForeignLinks(resolve(dir), what)
  const s = lstatSync(dir, { throwIfNoEntry: false })
  if (!s) return
  await assertPrivate(resolve(dir), s, what)
  await assertTrustedChain(dirname(resolve(dir)), `the ${what} ${dir}`)
}
