// Plain JavaScript: it runs before tsx can load the TypeScript sources.
import { lstatSync, mkdirSync } from 'node:fs'

/**
 * `dir` made (mode 0700) when missing; returned only when it is a real directory of yours that nobody else can write.
 */
export function privateDir(dir) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const s = lstatSync(dir)
    if (s.isDirectory() && s.uid === process.geteuid() && (s.mode & 0o077) === 0) return dir
  } catch {}
  return undefined
}
