import { z } from 'zod'
import { parseJsonAs } from './read-json.js'
import { existsSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { copyFile, lstat, mkdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildInitramfs } from './initramfs.js'
import { imageInputs } from './inputs.js'
import { fetchKernel } from './kernel.js'
import { buildRootDisk } from './rootfs.js'
import { dirEntries, ifPresent } from './if-present.js'
import { type ImageFiles, filesIn, imageFiles } from './image-files.js'

// The code that builds the image and the guest files it puts in: src/ in the workspace (also when its build
// runs), dist/ when installed.
const RUNNING_DIR = dirname(fileURLToPath(import.meta.url))
const CODE_DIR = existsSync(join(RUNNING_DIR, '..', 'src')) ? join(RUNNING_DIR, '..', 'src') : RUNNING_DIR
const GUEST_DIR = join(RUNNING_DIR, '..', 'guest')
const SOURCE_DIRS = [GUEST_DIR, CODE_DIR]

const imagesDir = (workspace: string) => join(workspace, 'images')
const keyOf = (inputs: Record<string, string>) =>
  createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16)
const USED = 'last-used'

/** Points `<workspace>/image` at `dir` (a new link renamed over the old one: readers never see none). */
async function linkCurrent(workspace: string, dir: string): Promise<void> {
  const link = imageFiles(workspace).dir
  if ((await ifPresent(readlink(link))) === dir) return
  const fresh = `${link}.link-${process.pid}`
  await rm(fresh, { force: true })
  await symlink(dir, fresh)
  // An image directory of the old layout is moved aside first: rename does not replace a directory with a link.
  if ((await ifPresent(lstat(link)))?.isDirectory()) await rm(link, { recursive: true, force: true })
  await rename(fresh, link)
}

/**
 * Builds kernel, initramfs and root disk into `<workspace>/images/<key of the inputs>` unless that
 * image exists, marks it used now, points `<workspace>/image` at it and returns its files (the
 * real paths: a VM's disk keeps its backing file when the link moves on). Work happens in a
 * sibling directory that becomes the image only when complete.
 */
export async function buildImage(options: {
  workspace: string
  authorizedKey: string
  force?: boolean
  log: (message: string) => void
}): Promise<ImageFiles> {
  const inputs = await imageInputs(SOURCE_DIRS, options.authorizedKey, options.workspace)
  const files = filesIn(join(imagesDir(options.workspace), keyOf(inputs)))
  const recorded = await ifPresent(readFile(files.inputs, 'utf8'))
  if (options.force || recorded !== JSON.stringify(inputs))
    await build(files, inputs, options.authorizedKey, options.log, options.force === true)
  await writeFile(join(files.dir, USED), `${new Date().toISOString()}\n`)
  await linkCurrent(options.workspace, files.dir)
  return files
}

async function build(
  files: ImageFiles,
  inputs: Record<string, string>,
  authorizedKey: string,
  log: (message: string) => void,
  force: boolean,
): Promise<void> {
  const work = `${files.dir}.building-${process.pid}`
  const staging = filesIn(join(work, 'out'))
  await rm(work, { recursive: true, force: true })
  try {
    await mkdir(staging.dir, { recursive: true })
    log(`image: fetching ${inputs.kernel} (downloaded and unpacked, not installed)`)
    const kernel = await fetchKernel(join(work, 'kernel'))
    await copyFile(kernel.vmlinuz, staging.kernel)
    log('image: building the initramfs')
    await buildInitramfs(kernel, GUEST_DIR, join(work, 'initramfs'), staging.initrd)
    log('image: building the root disk')
    await buildRootDisk(kernel, GUEST_DIR, authorizedKey, join(work, 'rootfs'), staging.disk)
    await writeFile(staging.inputs, JSON.stringify(inputs))
    // Another start may have built the same image meanwhile: its copy stays (VMs may boot from it) unless forced.
    const done = await ifPresent(readFile(files.inputs, 'utf8'))
    if (force || done !== JSON.stringify(inputs)) {
      await rm(files.dir, { recursive: true, force: true })
      await rename(staging.dir, files.dir)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  log(`image: ready in ${files.dir}`)
}

/** One built image: its directory, its inputs, when a start last used it, its size. */
export interface ImageEntry {
  dir: string
  inputs: Record<string, string>
  lastUsed: Date
  bytes: number
}

/** The images of the workspace, most recently used first. */
export async function listImages(workspace: string): Promise<ImageEntry[]> {
  const keys = await dirEntries(imagesDir(workspace))
  const entries = await Promise.all(
    keys
      .filter((key) => /^[0-9a-f]{16}$/.test(key))
      .map(async (key): Promise<ImageEntry | undefined> => {
        const files = filesIn(join(imagesDir(workspace), key))
        const inputs = await readFile(files.inputs, 'utf8').then(
          (text) => parseJsonAs(z.record(z.string(), z.string().max(4096)), text, files.inputs),
          () => undefined,
        )
        if (!inputs) return undefined
        const used = await stat(join(files.dir, USED)).catch(() => stat(files.inputs))
        const sizes = await Promise.all(
          [files.kernel, files.initrd, files.disk].map((path) =>
            stat(path).then(
              (s) => s.size,
              () => 0,
            ),
          ),
        )
        return { dir: files.dir, inputs, lastUsed: used.mtime, bytes: sizes.reduce((a, b) => a + b, 0) }
      }),
  )
  return entries
    .filter((entry): entry is ImageEntry => entry !== undefined)
    .sort((a, b) => b.lastUsed.getTime() - a.lastUsed.getTime())
}

/** Removes one image directory of the workspace. */
export async function removeImage(entry: ImageEntry): Promise<void> {
  await rm(entry.dir, { recursive: true, force: true })
}
