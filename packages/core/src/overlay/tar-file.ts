import { copyFile, open, readFile, readdir, writeFile } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import { XclusterError } from '../errors.js'
import type { Host } from '../host/host.js'

/** Packs the contents of `dir` (not `dir` itself) into `file`, paths relative to `/` of the guest. */
export async function packDirectory(dir: string, file: string): Promise<void> {
  const { create } = await import('tar')
  await create({ file, cwd: dir, portable: true }, await readdir(dir))
}

type TarKind = 'tar' | 'gzip' | 'xz' | 'bzip2'

/** What a file holds, by its first bytes (as `file` tells): a tar, or a tar compressed with gzip, xz or bzip2. */
async function tarKind(path: string): Promise<TarKind | undefined> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(265)
    const { bytesRead } = await handle.read(head, 0, head.length, 0)
    const bytes = head.subarray(0, bytesRead)
    if (bytes.subarray(257, 262).toString('latin1') === 'ustar') return 'tar'
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip'
    if (bytes.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz'
    if (bytes.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2'
    return undefined
  } finally {
    await handle.close()
  }
}

/** Writes the plain tar of a tar file, compressed or not, to `out`; anything else is an error naming the file. */
export async function plainTar(host: Host, name: string, path: string, out: string): Promise<void> {
  const kind = await tarKind(path)
  if (kind === 'tar') await copyFile(path, out)
  else if (kind === 'gzip') await writeFile(out, gunzipSync(await readFile(path)))
  else if (kind === 'xz' || kind === 'bzip2')
    await host.run(kind === 'xz' ? 'xz' : 'bzip2', ['-dc', path], { stdoutFile: out })
  else throw new XclusterError(`overlay ${name}: ${path} is not a tar file, plain or compressed with gzip, xz or bzip2`)
}
