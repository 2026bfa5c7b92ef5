import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Where Debian puts the programs for the system's administrator, which a user's PATH leaves out. */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin']

/** A program that is not on this machine, named with where it was looked for. */
export class ProgramMissing extends Error {
  override name = 'ProgramMissing'
}

/** Whether `path` is a regular file this user may run. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * The program `file` as a path: a path as given, else the first along `searchPath` and then the system's directories
 * (`depmod` and `mke2fs` are in /usr/sbin, which Debian leaves off a user's PATH); undefined when it is nowhere.
 */
export function findProgram(file: string, searchPath = process.env.PATH ?? ''): string | undefined {
  if (file.includes('/')) return isExecutable(file) ? file : undefined
  const dirs = [...searchPath.split(delimiter).filter(Boolean), ...SYSTEM_DIRS]
  return dirs.map((dir) => join(dir, file)).find(isExecutable)
}

/** The path of program `file`; ProgramMissing, naming it and where it was looked for, when it is nowhere. */
export function programPath(file: string): string {
  const program = findProgram(file)
  if (!program)
    throw new ProgramMissing(
      `${file} is not installed (looked on PATH and in ${SYSTEM_DIRS.join(', ')}): install the Debian package that` +
        ' has it (scripts/setup installs what xcluster needs)',
    )
  return program
}
