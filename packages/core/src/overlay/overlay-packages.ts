import { existsSync } from 'node:fs'
import { isAbsolute, join, normalize, relative } from 'node:path'
import { XclusterError } from '../errors.js'
import type { Overlay } from '../contract/context.js'
import { type PluginPackage, installedPluginPackages, isPackageName } from '../installed/plugin-packages.js'

const MAX_PROGRAMS = 200
const PROGRAM_PATH = /^\/[A-Za-z0-9._+/-]{1,255}$/

/** Whether `pkg` is the overlay `name`: xcluster-ovl-NAME, @xcluster/ovl-NAME or @scope/xcluster-ovl-NAME. */
function isOverlayPackage(pkg: string, name: string): boolean {
  return (
    pkg === `xcluster-ovl-${name}` ||
    pkg === `@xcluster/ovl-${name}` ||
    (pkg.startsWith('@') && pkg.endsWith(`/xcluster-ovl-${name}`))
  )
}

/**
 * The overlay a package declares, checked: its directory inside the package, its programs absolute host paths that
 * exist.
 */
function overlayOf(name: string, pkg: PluginPackage): Overlay {
  const { dir, programs = [] } = pkg.manifest.overlay ?? {}
  const what = `overlay ${name} (${pkg.name})`
  if (
    dir !== undefined &&
    (typeof dir !== 'string' || isAbsolute(dir) || relative(pkg.dir, join(pkg.dir, dir)).startsWith('..'))
  ) {
    throw new XclusterError(
      `${what}: "xcluster.overlay.dir" must be a directory inside the package, got ${JSON.stringify(dir)}`,
    )
  }
  if (!Array.isArray(programs) || programs.length > MAX_PROGRAMS)
    throw new XclusterError(`${what}: "xcluster.overlay.programs" must be a list of at most ${MAX_PROGRAMS} programs`)
  for (const program of programs) {
    const path: unknown = program?.path
    if (typeof path !== 'string' || !PROGRAM_PATH.test(path) || normalize(path) !== path) {
      throw new XclusterError(
        `${what}: program ${JSON.stringify(path)} must be an absolute, normalized path of letters, digits and ._+-/`,
      )
    }
    if (!isPackageName(String(program.debian)))
      throw new XclusterError(`${what}: program ${path} must name its Debian package in "debian"`)
    if (!existsSync(path))
      throw new XclusterError(`${what} needs ${path}: install it with \`apt-get install ${program.debian}\``)
  }
  return {
    name,
    path: dir === undefined ? undefined : join(pkg.dir, dir),
    programs: programs.map((program) => program.path),
  }
}

/** The overlay `name` from a package the user's project (or core) depends on, if there is one. */
export async function packagedOverlay(name: string, projects: string[]): Promise<Overlay | undefined> {
  const pkg = (await installedPluginPackages(projects)).packages.find(
    (candidate) => candidate.manifest.overlay && isOverlayPackage(candidate.name, name),
  )
  return pkg && overlayOf(name, pkg)
}

/** The names of the overlay packages installed for these projects. */
export async function packagedOverlayNames(projects: string[]): Promise<string[]> {
  const { packages } = await installedPluginPackages(projects)
  return packages
    .filter((pkg) => pkg.manifest.overlay)
    .map((pkg) => /(?:^|\/)(?:xcluster-)?ovl-([^/]+)$/.exec(pkg.name)?.[1])
    .filter((name) => name !== undefined)
}
