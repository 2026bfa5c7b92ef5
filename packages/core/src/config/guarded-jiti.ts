import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Jiti, JitiOptions, TransformOptions } from 'jiti'
import { assertTrustedModule } from '../host/trusted-module.js'

/*
 * jiti compiles a user's TypeScript, and hands a module it needs not compile (.mjs, .cjs, a .js of a "module"
 * package) to Node, whose own imports jiti then never sees. Here every file of the user's (not in a node_modules,
 * whose packages are checked as a whole before) is kept from Node: jiti falls back to compiling it, and each file it
 * compiles is checked first. So every module a config, hook or timeline imports is checked as it is loaded, however
 * it is spelled.
 */

const require = createRequire(import.meta.url)
type CreateJiti = (
  id: string,
  options: JitiOptions,
  context: {
    onError: (error: unknown) => never
    nativeImport: (id: string) => Promise<unknown>
    createRequire: typeof createRequire
  },
) => Jiti
// jiti's own factory, whose third argument says how Node loads what jiti does not compile (its lib/jiti.mjs passes
// Node's import and createRequire). Pinned with jiti ^2.7; config-siblings.test.ts plants .mjs and .cjs modules.
// Loaded only when a module of the user's is: the CLI starts without it.
const createJitiWith = (): CreateJiti =>
  require(join(dirname(require.resolve('jiti/package.json')), 'dist', 'jiti.cjs'))

/** The directory of core's package.json, up from this module however deep it sits (a source, a build, a bundle). */
function corePackageDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && require(manifest).name === '@xcluster/core') return dir
  }
  throw new Error(`@xcluster/core: no package.json of its own above ${fileURLToPath(import.meta.url)}`)
}

// xcluster's own packages, beside this one: `packages/` of a checkout (a workspace link resolves to it), or
// `node_modules/@xcluster` of an install. Found when a user's module is first loaded, not by every command.
let ownPackages: string | undefined

/**
 * A file of the user's, given to Node by path or file URL: jiti is to compile it instead. Packages (in a
 * node_modules, checked as a whole before, or xcluster's own) are Node's to load, as one copy for the CLI and configs.
 */
function userFile(id: string): string | undefined {
  const path = id.startsWith('file:') ? fileURLToPath(id) : id
  ownPackages ??= `${dirname(corePackageDir())}/`
  const packaged = path.split('/').includes('node_modules') || path.startsWith(ownPackages)
  return isAbsolute(path) && !packaged && !path.endsWith('.json') ? path : undefined
}

class CompileInstead extends Error {}

/** A jiti that compiles (and so checks) every file of the user's it loads; `what` names the file loaded, in errors. */
export function guardedJiti(options: JitiOptions, what: string): Jiti {
  const { createJiti } = require('jiti') as typeof import('jiti')
  const compiler = createJiti(import.meta.url, { fsCache: false })
  const transform = (given: TransformOptions) => {
    if (given.filename) assertTrustedModule(given.filename, `${given.filename}, which ${what} imports`)
    return { code: compiler.transform(given) }
  }
  const nativeImport = (id: string) =>
    userFile(id) ? Promise.reject(new CompileInstead(id)) : (import(id) as Promise<unknown>)
  const guardedRequire = (filename: string) => {
    const nodeRequire = createRequire(filename)
    const guarded = (id: string) => {
      if (userFile(id)) throw new CompileInstead(id)
      return nodeRequire(id)
    }
    return Object.assign(guarded, nodeRequire) as NodeJS.Require
  }
  return createJitiWith()(
    import.meta.url,
    { ...options, transform },
    {
      onError: (error) => {
        throw error
      },
      nativeImport,
      createRequire: guardedRequire as typeof createRequire,
    },
  )
}
