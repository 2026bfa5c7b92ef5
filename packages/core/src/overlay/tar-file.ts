import { readdir } from 'node:fs/promises'

/** Packs the contents of `dir` (not `dir` itself) into `file`, paths relative to `/` of the guest. */
export async function packDirectory(dir: string, file: string): Promise<void> {
  const { create } = await import('tar')
  await create({ file, cwd: dir, portable: true }, await readdir(dir))
}
