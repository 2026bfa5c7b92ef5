import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/** The effective uid of this process: "you" in every ownership rule. */
export const euid = (): number => process.geteuid?.() ?? 0

const readOr = (path: string, otherwise: string) => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return otherwise
  }
}

/** Whether this process runs in a user namespace of its own (the init namespace maps every uid to itself). */
const inUserNamespace = (): boolean =>
  readOr('/proc/self/uid_map', '').trim().split(/\s+/).join(' ') !== '0 0 4294967295'

/** The uid an owner this namespace does not map shows as (65534, nobody). */
const overflowUid = (): number => Number(readOr('/proc/sys/kernel/overflowuid', '65534').trim())

/**
 * The system's own directories, and /usr where only the package manager writes (a global npm install is there): in a
 * user namespace (a netns of `xcluster nsadd --user` is entered through one) root is not mapped and shows as nobody,
 * as every user but you does; what is here shown so is taken for root's.
 */
const SYSTEM_DIRS = new Set(['/', '/home', '/tmp', '/var', '/var/tmp', '/run', '/opt', '/srv', '/mnt'])
const systemPath = (path: string) => {
  const normal = resolve(path)
  return SYSTEM_DIRS.has(normal) || normal === '/usr' || normal.startsWith('/usr/')
}

/**
 * Whether `path` (resolved) belongs to root: uid 0, or in a user namespace a system path shown as nobody. Anything
 * else shown as nobody may be any other user's and is not.
 */
export function rootOwned(path: string, uid: number): boolean {
  if (uid === 0) return true
  return systemPath(path) && uid === overflowUid() && inUserNamespace()
}

/** Whether `path` belongs to you or to root. */
export const yoursOrRoots = (path: string, uid: number): boolean => uid === euid() || rootOwned(path, uid)
