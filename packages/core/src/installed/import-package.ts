import { createRequire, isBuiltin } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { XclusterError } from '../errors.js'
import { assertTrustedModulePath } from '../host/module-path.js'
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
    if (isBuiltin(resolved))
      throw new XclusterError(
        `${pkg} is a module of Node itself, not a package: ${why} needs a package name (e.g. "@xcluster/net-bridge")`,
      )
    // Resolution walks up through parent node_modules: one in /tmp may be anybody's; so do the package's own imports.
    await assertTrustedFile(resolved, `${pkg} from ${resolved}`)
    await assertTrustedModulePath(resolved, `${pkg} from ${resolved}`)
    return (await import(pathToFileURL(resolved).href)) as T
  }
  throw notInstalled(pkg, projects, why)
}
