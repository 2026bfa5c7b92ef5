import { constants } from 'node:fs'
import { type FileHandle, chmod, lstat, open, rename, rm } from 'node:fs/promises'
import { ifPresent } from './if-present.js'
import { basename, dirname, join, resolve } from 'node:path'
import { assertNoForeignLinks } from './trusted-path.js'

/**
 * Writes a file the user named (a capture, a copy, a picture, a package.json) without following a
 * link planted where it goes and without touching what is there before success: `write` fills a new
 * file beside `target` (created exclusively, never through a link), which replaces `target` only
 * once `write` succeeded; on failure the new file is removed and `target` is as it was.
 */
export async function writeUserFile(target: string, write: (file: FileHandle) => Promise<void>): Promise<void> {
  const path = resolve(target)
  await assertNoForeignLinks(dirname(path), 'output file')
  // Loaded here: crypto costs every command's start-up 7 ms.
  const { randomBytes } = await import('node:crypto')
  const part = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`)
  // A file replaced keeps its mode (a 0600 capture stays private); a new one is 0644 less the umask.
  const replaced = await ifPresent(lstat(path))
  const mode = replaced?.isFile() ? replaced.mode & 0o777 : 0o644
  const file = await open(part, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode)
  try {
    await write(file)
    if (replaced?.isFile()) await chmod(part, mode)
    await file.close()
    await rename(part, path)
  } catch (error) {
    await file.close().catch(() => undefined)
    await rm(part, { force: true })
    throw error
  }
}
