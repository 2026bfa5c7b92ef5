/**
 * What `promise` gives, or undefined when the file or directory it reads is not there (ENOENT).
 * Any other error - no permission, not a directory, a disk error - is thrown, never read as absence.
 */
export async function ifPresent<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
