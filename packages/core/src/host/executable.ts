import { access, constants, stat } from 'node:fs/promises'
import { ifPresent } from './if-present.js'

/** Whether `path` is a regular file this process may execute. */
export async function isExecutableFile(path: string): Promise<boolean> {
  if (!(await ifPresent(stat(path)))?.isFile()) return false
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  )
}
