import { readdir } from 'node:fs/promises'

/**
 * What `promise` gives, or undefined when the file or directory it reads is not there (ENOENT), or is the /proc file
 * of a process that ended while it was read (ESRCH). Any other error - no permission, not a directory, a disk error -
 * is thrown, never read as absence.
 */
export async function ifPresent<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise
  } catch (error) {
    if (['ENOENT', 'ESRCH'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined
    throw error
  }
}

/** The names in directory `dir`, none when it is not there (any other error is thrown, as `ifPresent` does). */
export async function dirEntries(dir: string): Promise<string[]> {
  return (await ifPresent(readdir(dir))) ?? []
}
