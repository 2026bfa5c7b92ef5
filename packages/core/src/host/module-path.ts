import { dirname, join, resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { whyUntrusted } from './trusted-path.js'
import { dirEntries } from '../host/if-present.js'

/** The packages a node_modules directory holds (`name`, `@scope/name`); none when it does not exist. */
async function packagesIn(nodeModules: string): Promise<string[]> {
  const entries = await dirEntries(nodeModules)
  const names = await Promise.all(
    entries
      .filter((entry) => !entry.startsWith('.'))
      .map(async (entry) =>
        entry.startsWith('@')
          ? (await dirEntries(join(nodeModules, entry))).map((name) => `${entry}/${name}`)
          : [entry],
      ),
  )
  return names.flat()
}

/**
 * Refuses to load `file` as code when a package it may import could come from a directory another
 * user can write. Node looks for `import 'x'` in node_modules from the file's directory up to `/`:
 * a package in an untrusted node_modules (say /tmp/node_modules, planted by anyone) is refused
 * unless a trusted node_modules nearer to the file has a package of that name first.
 */
export async function assertTrustedModulePath(file: string, what: string): Promise<void> {
  const shadowed = new Set<string>()
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    const nodeModules = join(dir, 'node_modules')
    const names = await packagesIn(nodeModules)
    if (names.length > 0) {
      const problem = await whyUntrusted(nodeModules)
      const exposed = problem ? names.filter((name) => !shadowed.has(name)) : []
      if (exposed.length > 0) {
        throw new XclusterError(
          `refusing ${what}: what it imports is looked up in ${nodeModules} too, where ${problem}; it holds` +
            ` ${exposed.slice(0, 5).join(', ')}${exposed.length > 5 ? ', ...' : ''}. Install your project's` +
            ` dependencies (npm install) so they come from your own node_modules, or keep your project where only` +
            ` you and root can write above it`,
        )
      }
      for (const name of names) shadowed.add(name)
    }
    if (dir === dirname(dir)) return
  }
}
