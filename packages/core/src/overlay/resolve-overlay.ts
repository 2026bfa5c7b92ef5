import { stat } from 'node:fs/promises'
import { basename, isAbsolute, join, resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import type { Overlay } from '../lifecycle/context.js'
import { packagedOverlay } from './overlay-packages.js'

async function kind(path: string): Promise<'dir' | 'tar' | undefined> {
  const info = await stat(path).catch(() => undefined)
  if (info?.isDirectory()) return 'dir'
  if (info?.isFile() && path.endsWith('.tar')) return 'tar'
  return undefined
}

/** The overlay's name on the cdrom: the base name without `.tar`. */
function overlayName(path: string): string {
  return basename(path).replace(/\.tar$/, '')
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
 * Finds an overlay: a path to a directory or a .tar file, or a name looked up along the overlay
 * path as `<dir>/<name>` or `<dir>/<name>.tar`, then among overlay packages, first match wins.
 */
export async function resolveOverlay(ref: string, { ovlPath: searchPath, cwd, projects }: OverlaySearch): Promise<Overlay> {
  if (ref.includes('/') || ref.endsWith('.tar')) {
    const path = isAbsolute(ref) ? ref : resolve(cwd, ref)
    if (await kind(path)) return { name: overlayName(path), path }
    throw new XclusterError(`overlay ${ref}: ${path} is neither a directory nor a .tar file`)
  }
  for (const dir of searchPath) {
    for (const path of [join(dir, ref), join(dir, `${ref}.tar`)]) {
      if (await kind(path)) return { name: ref, path }
    }
  }
  const packaged = await packagedOverlay(ref, projects)
  if (packaged) return packaged
  const searched = searchPath.length > 0 ? searchPath.join(', ') : '(the overlay path is empty: set ovlPath or XCLUSTER_OVLPATH)'
  throw new XclusterError(`overlay ${ref} not found; searched: ${searched}, and the packages xcluster-ovl-${ref}, @xcluster/ovl-${ref}, @<scope>/xcluster-ovl-${ref} (\`npm i -D\` one in your project)`)
}
