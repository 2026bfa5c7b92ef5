import { mkdir, readFile, rename, rm, writeFile, copyFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildInitramfs } from './initramfs.js'
import { imageInputs } from './inputs.js'
import { fetchKernel } from './kernel.js'
import { buildRootDisk } from './rootfs.js'

// The code that builds the image (src/ in the workspace, dist/ when installed) and the guest files it puts in.
const CODE_DIR = dirname(fileURLToPath(import.meta.url))
const GUEST_DIR = join(CODE_DIR, '..', 'guest')
const SOURCE_DIRS = [GUEST_DIR, CODE_DIR]

/** The files of a built image inside `<workspace>/image`. */
export interface ImageFiles {
  dir: string
  kernel: string
  initrd: string
  disk: string
  inputs: string
}

export function imageFiles(workspace: string): ImageFiles {
  const dir = join(workspace, 'image')
  return { dir, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), disk: join(dir, 'hd.qcow2'), inputs: join(dir, 'inputs.json') }
}

export type ImageState = 'current' | 'missing' | 'stale'

/** Whether the workspace's image was built from exactly today's inputs. */
export async function imageState(workspace: string, authorizedKey: string): Promise<ImageState> {
  const recorded = await readFile(imageFiles(workspace).inputs, 'utf8').catch(() => undefined)
  if (recorded === undefined) return 'missing'
  return recorded === JSON.stringify(await imageInputs(SOURCE_DIRS, authorizedKey, workspace)) ? 'current' : 'stale'
}

/**
 * Builds kernel, initramfs and root disk into `<workspace>/image` unless they are current.
 * Work happens in a sibling directory that replaces the old image only when complete.
 */
export async function buildImage(options: { workspace: string; authorizedKey: string; force?: boolean; log: (message: string) => void }): Promise<ImageFiles> {
  const files = imageFiles(options.workspace)
  const inputs = await imageInputs(SOURCE_DIRS, options.authorizedKey, options.workspace)
  const recorded = await readFile(files.inputs, 'utf8').catch(() => undefined)
  if (!options.force && recorded === JSON.stringify(inputs)) return files
  const work = `${files.dir}.building`
  const staging = imageFiles(join(work, 'out'))
  await rm(work, { recursive: true, force: true })
  try {
    await mkdir(staging.dir, { recursive: true })
    options.log(`image: fetching ${inputs.kernel} (downloaded and unpacked, not installed)`)
    const kernel = await fetchKernel(join(work, 'kernel'))
    await copyFile(kernel.vmlinuz, staging.kernel)
    options.log('image: building the initramfs')
    await buildInitramfs(kernel, GUEST_DIR, join(work, 'initramfs'), staging.initrd)
    options.log('image: building the root disk')
    await buildRootDisk(kernel, GUEST_DIR, options.authorizedKey, join(work, 'rootfs'), staging.disk)
    await writeFile(staging.inputs, JSON.stringify(inputs))
    await rm(files.dir, { recursive: true, force: true })
    await rename(staging.dir, files.dir)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  options.log(`image: ready in ${files.dir}`)
  return files
}
