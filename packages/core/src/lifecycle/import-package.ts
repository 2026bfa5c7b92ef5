import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { assertTrustedFile } from '../host/trusted-path.js'
import { notInstalled } from './plugin-packages.js'

/** Imports a package from the user's project (then from next to core); `why` says what needs it. */
export async function importPackage<T>(pkg: string, projects: string[], why: string): Promise<T> {
  for (const dir of projects) {
    let resolved: string
    try {
      resolved = createRequire(join(dir, 'noop.js')).resolve(pkg)
    } catch {
      continue
    }
    // Resolution walks up through parent node_modules: one in /tmp may be anybody's.
    await assertTrustedFile(resolved, `${pkg} from ${resolved}`)
    return (await import(pathToFileURL(resolved).href)) as T
  }
  throw notInstalled(pkg, projects, why)
}
