import { existsSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { yoursOrRoots } from '../host/owner.js'

// Where the config file is: found without loading anything that reads it (config/load.ts), so a command with no
// config file reads none of that code.

const SEARCH_PLACES = [
  'xcluster.config.ts',
  'xcluster.config.mts',
  'xcluster.config.mjs',
  'xcluster.config.js',
  'xcluster.config.json',
]
const PROJECT_MARKS = ['package.json', '.git']

const isInside = (dir: string, root: string) => !relative(root, dir).startsWith('..')

/**
 * A directory others can write into (a sticky /tmp) or that is not yours or root's: a config search never steps into
 * it.
 */
function sharedDir(dir: string): boolean {
  const s = statSync(dir, { throwIfNoEntry: false })
  return !s || (s.mode & 0o022) !== 0 || !yoursOrRoots(dir, s.uid)
}

/**
 * The directories searched for a config file, nearest first: from `cwd` up to the project root
 * (the nearest directory with package.json or .git), else up to `home` when `cwd` is inside it,
 * else `cwd` alone. Never further up, and never into a parent others can write (a package.json
 * planted in /tmp makes no project of it).
 */
export function configSearchDirs(cwd: string, home: string): string[] {
  const dirs: string[] = []
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (dirs.length > 0 && sharedDir(dir)) break
    dirs.push(dir)
    if (PROJECT_MARKS.some((mark) => existsSync(join(dir, mark)))) return dirs
    if (dir === resolve(home) || dir === dirname(dir)) break
  }
  return isInside(resolve(cwd), resolve(home)) ? dirs : [resolve(cwd)]
}

/**
 * The config file of a command: `--config` (from the working directory), else the nearest xcluster.config.* of the
 * project; undefined when there is none.
 */
export function configFilePath(cwd: string, home: string, configPath?: string): string | undefined {
  return configPath ? resolve(cwd, configPath) : findConfigFile(cwd, home)
}

function findConfigFile(cwd: string, home: string): string | undefined {
  for (const dir of configSearchDirs(cwd, home)) {
    const found = SEARCH_PLACES.map((place) => join(dir, place)).find((file) => existsSync(file))
    if (found) return found
  }
  return undefined
}
