import { join } from 'node:path'

/** The files of a built image inside its directory. */
export interface ImageFiles {
  dir: string
  kernel: string
  initrd: string
  disk: string
  inputs: string
}

/** The files of an image in `dir`. */
export function filesIn(dir: string): ImageFiles {
  return {
    dir,
    kernel: join(dir, 'vmlinuz'),
    initrd: join(dir, 'initrd.img'),
    disk: join(dir, 'hd.qcow2'),
    inputs: join(dir, 'inputs.json'),
  }
}

/**
 * `<workspace>/image`: a link to the image the last start used, the paths a config shows. The
 * images themselves are `<workspace>/images/<key>`, one per set of inputs, so two installs of
 * different versions each keep theirs instead of rebuilding the other's.
 */
export function imageFiles(workspace: string): ImageFiles {
  return filesIn(join(workspace, 'image'))
}
