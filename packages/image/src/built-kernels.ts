import { z } from 'zod'
import { parseJsonAs } from './read-json.js'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { dirEntries, ifPresent } from './if-present.js'

/** What a kernel was built from, kept beside it as kernel.json. */
export interface KernelInputs {
  /** The source's id (Debian package and version, or a tree and its version). */
  source: string
  version: string
  /** `xcluster` (the repository's fragment on tinyconfig), or the user's config file, as given. */
  config: string
  /** Hash of the config files' contents. */
  configHash: string
  /** The compiler's `--version` line. */
  compiler: string
}

export interface BuiltKernel {
  key: string
  dir: string
  bzImage: string
  /** The whole .config the kernel was built with. */
  config: string
  inputs: KernelInputs
  builtAt: Date
  lastUsed: Date
  /** Files the build compiled: the next build of the same source shows its progress against it. */
  compiled: number
  bytes: number
}

const RECORD = 'kernel.json'
const USED = 'last-used'

export const kernelsDir = (workspace: string) => join(workspace, 'kernels')

/** The files of a kernel's directory. */
export function kernelFiles(dir: string) {
  return {
    bzImage: join(dir, 'bzImage'),
    config: join(dir, 'config'),
    record: join(dir, RECORD),
    used: join(dir, USED),
  }
}

const text = z.string().max(4096)
const kernelRecordSchema = z.looseObject({
  inputs: z.strictObject({ source: text, version: text, config: text, configHash: text, compiler: text }),
  builtAt: z.iso.datetime(),
  compiled: z.number().int().min(0),
})

async function readKernel(workspace: string, key: string): Promise<BuiltKernel | undefined> {
  const dir = join(kernelsDir(workspace), key)
  const files = kernelFiles(dir)
  const record = await readFile(files.record, 'utf8').then(
    (text) => parseJsonAs(kernelRecordSchema, text, files.record),
    () => undefined,
  )
  const image = await ifPresent(stat(files.bzImage))
  if (!record || !image) return undefined
  const used = await stat(files.used).catch(() => image)
  return {
    key,
    dir,
    bzImage: files.bzImage,
    config: files.config,
    inputs: record.inputs,
    builtAt: new Date(record.builtAt),
    lastUsed: used.mtime,
    compiled: record.compiled,
    bytes: image.size,
  }
}

/** The kernels `xcluster kernel build` made in the workspace, newest build first. */
export async function listKernels(workspace: string): Promise<BuiltKernel[]> {
  const keys = (await dirEntries(kernelsDir(workspace))).filter((key) => /^[0-9a-f]{16}$/.test(key))
  const kernels = await Promise.all(keys.map((key) => readKernel(workspace, key)))
  return kernels
    .filter((kernel): kernel is BuiltKernel => kernel !== undefined)
    .sort((a, b) => b.builtAt.getTime() - a.builtAt.getTime())
}

/** Records the kernel's record in `dir` (the build's staging directory). */
export async function writeKernelRecord(dir: string, inputs: KernelInputs, compiled: number): Promise<void> {
  await writeFile(
    kernelFiles(dir).record,
    `${JSON.stringify({ inputs, builtAt: new Date().toISOString(), compiled }, null, 2)}\n`,
  )
}

/** Marks the kernel used by a start now (prune keeps what was used lately). */
export async function markKernelUsed(kernel: BuiltKernel): Promise<void> {
  await writeFile(kernelFiles(kernel.dir).used, `${new Date().toISOString()}\n`)
}

export async function removeKernel(kernel: BuiltKernel): Promise<void> {
  await rm(kernel.dir, { recursive: true, force: true })
}
