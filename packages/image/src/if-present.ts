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
