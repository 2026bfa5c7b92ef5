import { readdir, stat } from 'node:fs/promises'
import { basename, isAbsolute, join, resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { whyUntrusted } from '../host/trusted-path.js'
import type { Overlay } from '../contract/context.js'
import { packagedOverlay, packagedOverlayNames } from './overlay-packages.js'
import { tarScriptOf } from './tar-script.js'
import { ifPresent } from '../host/if-present.js'

/** The endings a tar file of an overlay may have; its content decides how it is read. */
const TAR_ENDINGS = ['.tar', '.tar.xz', '.txz', '.tar.gz', '.tgz', '.tar.bz2', '.tbz2']

/**
 * The overlay at `path`: a directory (run by its `tar` script when it has one) or a tar file.
 * What goes onto every VM as root must be yours or root's: one another user can change is refused.
 */
async function overlayAt(path: string): Promise<Overlay | undefined> {
  const info = await ifPresent(stat(path))
  if (!info?.isDirectory() && !info?.isFile()) return undefined
  const problem = await whyUntrusted(path)
  if (problem)
    throw new XclusterError(
      `refusing the overlay ${path}: ${problem}; its files would go onto every VM: fix its owner and mode (chown,` +
        ` chmod go-w) or move it`,
    )
  if (info.isDirectory()) {
    const tarScript = await tarScriptOf(path)
    return tarScript ? { name: basename(path), tarScript } : { name: basename(path), path }
  }
  // A file's name is its base name up to the first dot, as in the shell tool.
  return { name: basename(path).replace(/\..*$/, ''), path }
}

/** Where overlays named without a path are looked for. */
export interface OverlaySearch {
  /** The overlay path (ovlPath, XCLUSTER_OVLPATH), searched first. */
  ovlPath: string[]
  /** Relative paths are from here. */
  cwd: string
  /** Project directories whose dependencies may be overlay packages, searched last. */
  projects: string[]
}

/**
 * Finds an overlay: a path to a directory or a tar file, or a name looked up along the overlay
 * path as `<dir>/<name>` or `<dir>/<name>.tar` (.tar.xz, .tar.gz, .tar.bz2...), then among
 * overlay packages, first match wins.
 */
export async function resolveOverlay(
  ref: string,
  { ovlPath: searchPath, cwd, projects }: OverlaySearch,
): Promise<Overlay> {
  if (ref.includes('/') || TAR_ENDINGS.some((ending) => ref.endsWith(ending))) {
    const path = isAbsolute(ref) ? ref : resolve(cwd, ref)
    const overlay = await overlayAt(path)
    if (overlay) return overlay
    throw new XclusterError(`overlay ${ref}: ${path} is neither a directory nor a tar file`)
  }
  for (const dir of searchPath) {
    for (const path of [join(dir, ref), ...TAR_ENDINGS.map((ending) => join(dir, `${ref}${ending}`))]) {
      const overlay = await overlayAt(path)
      if (overlay) return { ...overlay, name: ref }
    }
  }
  const packaged = await packagedOverlay(ref, projects)
  if (packaged) return packaged
  const searched =
    searchPath.length > 0 ? searchPath.join(', ') : '(the overlay path is empty: set ovlPath or XCLUSTER_OVLPATH)'
  throw new XclusterError(
    `overlay ${ref} not found; searched: ${searched}, and the packages xcluster-ovl-${ref}, @xcluster/ovl-${ref},` +
      ` @<scope>/xcluster-ovl-${ref} (\`npm i -D\` one in your project)`,
  )
}

/** What a name of an overlay may be: letters, digits and `_ . + -`, as directories of the shell tool's overlays are. */
export const OVERLAY_NAME = /^[A-Za-z0-9][\w.+-]{0,127}$/

/**
 * Every overlay a name finds: entries along the overlay path (tar endings dropped), then overlay packages; an entry
 * whose name is not an overlay name (another user's `$(id)`) is not one.
 */
export async function overlayNames({ ovlPath, projects }: OverlaySearch): Promise<string[]> {
  const inPath = await Promise.all(ovlPath.map((dir) => readdir(dir).catch(() => [])))
  const names = inPath
    .flat()
    .map((entry) =>
      TAR_ENDINGS.reduce((name, ending) => (name.endsWith(ending) ? name.slice(0, -ending.length) : name), entry),
    )
  return [...new Set([...names, ...(await packagedOverlayNames(projects))])].filter((name) => OVERLAY_NAME.test(name))
}
