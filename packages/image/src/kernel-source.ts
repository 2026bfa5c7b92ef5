import { readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { run } from './run.js'
import { dirEntries, ifPresent } from './if-present.js'

/** Where Debian's `linux-source-X.Y` packages put their tarball. */
export const DEBIAN_SOURCE_DIR = '/usr/src'

/** A kernel source: Debian's tarball (unpacked for each build) or a tree of the user's. */
export interface KernelSource {
  /** What the built kernel is cached by: `linux-source-6.1=6.1.192-3`, or `tree:/path@6.1.192`. */
  id: string
  /** The kernel's version, e.g. 6.1.192. */
  version: string
  tarball?: string
  tree?: string
}

/** `linux-6.1.192` and `6.1.192` name the same version; `6.1` names every 6.1.x. */
export function versionMatches(version: string, wanted: string): boolean {
  const bare = wanted.replace(/^linux-/, '')
  return version === bare || version.startsWith(`${bare}.`)
}

/** The version of each installed linux-source-X.Y package, from dpkg's status file. */
async function installedSourcePackages(): Promise<Map<string, string>> {
  const status = await readFile('/var/lib/dpkg/status', 'utf8')
  const found = new Map<string, string>()
  for (const stanza of status.split('\n\n')) {
    const pkg = /^Package: (linux-source-\d+\.\d+)$/m.exec(stanza)?.[1]
    const version = /^Version: (\S+)$/m.exec(stanza)?.[1]
    if (pkg && version && /^Status: .* installed$/m.test(stanza)) found.set(pkg, version)
  }
  return found
}

/** Debian's kernel sources on this host, newest first. */
export async function debianKernelSources(): Promise<KernelSource[]> {
  const packages = await installedSourcePackages()
  const files = await dirEntries(DEBIAN_SOURCE_DIR)
  const sources: KernelSource[] = []
  for (const file of files) {
    const pkg = /^(linux-source-\d+\.\d+)\.tar\.xz$/.exec(file)?.[1]
    const debianVersion = pkg && packages.get(pkg)
    if (!debianVersion) continue
    sources.push({
      id: `${pkg}=${debianVersion}`,
      version: debianVersion.replace(/-[^-]*$/, ''),
      tarball: join(DEBIAN_SOURCE_DIR, file),
    })
  }
  return sources.sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))
}

/** A kernel tree of the user's: its version as its Makefile says. */
export async function treeSource(tree: string): Promise<KernelSource> {
  if (!(await ifPresent(stat(join(tree, 'Makefile'))))?.isFile())
    throw new Error(`${tree} is not a kernel source tree (it has no Makefile)`)
  const version = (await run('make', ['-s', '--no-print-directory', 'kernelversion'], { cwd: tree })).trim()
  return { id: `tree:${tree}@${version}`, version, tree }
}

/** The directory the Debian tarball unpacks into (`linux-source-6.1`). */
export const tarballTop = (tarball: string) => basename(tarball).replace(/\.tar\.xz$/, '')
