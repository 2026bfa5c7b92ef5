import { type Stats, lstatSync, realpathSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { XclusterError } from '../errors.js'
import { yoursOrRoots } from './owner.js'
import { untrusted } from './trusted-path.js'

const writableByOthers = (s: Stats) => (s.mode & 0o022) !== 0

/**
 * Why a module file may hold another user's code; undefined when only you or root can have written it or anything
 * beside it. Its own directory must be writable by nobody else, not even as a sticky /tmp is: there another user can
 * plant `./helper.js` beside your `helper.ts`, and an import of `./helper.js` (NodeNext's spelling) would run theirs.
 */
export function whyUntrustedModule(file: string): string | undefined {
  const link = lstatSync(file)
  if (link.isSymbolicLink() && !yoursOrRoots(file, link.uid)) return `${file} is a symbolic link of uid ${link.uid}`
  const real = realpathSync(file)
  const own = untrusted(real, statSync(real))
  if (own) return own
  const dir = dirname(real)
  const beside = statSync(dir)
  if (writableByOthers(beside))
    return (
      `${dir}, where it is, is writable by others (mode ${(beside.mode & 0o7777).toString(8)}): another user can` +
      ' plant a module it imports there'
    )
  for (let up = dir; up !== dirname(up); ) {
    up = dirname(up)
    const problem = untrusted(up, statSync(up))
    if (problem) return problem
  }
  return undefined
}

/** Refuses to load `file` as code (a config, hook or timeline, or a module one of them imports) unless trusted. */
export function assertTrustedModule(file: string, what: string): void {
  const problem = whyUntrustedModule(file)
  if (problem)
    throw new XclusterError(
      `refusing ${what}: ${problem}; keep your modules in a directory only you (or root) can write, and fix the owner` +
        ' and mode of what is there (chown, chmod go-w)',
    )
}
