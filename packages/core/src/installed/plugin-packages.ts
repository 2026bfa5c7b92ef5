import { parseJsonObject } from '../schema/read-json.js'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { XclusterError } from '../errors.js'
import { assertTrustedFile } from '../host/trusted-path.js'

/**
 * Where a package may be the default for a role: anywhere, or only inside / outside a netns made by `xcluster nsadd`.
 */
export type DefaultWhere = 'everywhere' | 'in-cluster-netns' | 'outside-cluster-netns'

/** What a package says about itself under `"xcluster"` in its package.json, read without running its code. */
export interface PluginManifest {
  /** Roles its plugin fills: `net-backend`, `topology`, `dns`, or a role of your own. */
  provides?: string[]
  /** When core adds this package's plugin because no configured plugin fills its role. */
  default?: { where: DefaultWhere; options?: Record<string, unknown> }
  /** The operations its module exports as `operations`, by name: commands of `xcluster --help`. */
  commands?: string[]
  /** The overlay it is, found by name: `overlays: ['iptools']` finds `@xcluster/ovl-iptools`. */
  overlay?: OverlayManifest
}

/** An overlay package's content: a directory of the package, and host programs copied in with their libraries. */
export interface OverlayManifest {
  /** A directory of the package unpacked on `/` of the guest. */
  dir?: string
  /** Host programs put at the same path in the guest, each with the Debian package that has it. */
  programs?: { path: string; debian: string }[]
}

export interface PluginPackage {
  name: string
  /** The range of @xcluster/core it declares as a peer, when it is a semver range. */
  coreRange: string | undefined
  manifest: PluginManifest
  /** Where it is installed. */
  dir: string
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]{0,99}\/)?[a-z0-9][a-z0-9._-]{0,99}$/

export function isPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name)
}

/**
 * A package.json; undefined when there is none, it is not a JSON object (such a package is no plugin), or its text
 * does not hold `mustName`. Read synchronously: a command reads a few small ones before it starts, each a wait through
 * the thread pool otherwise.
 */
function readJson(path: string, mustName?: string): Record<string, unknown> | undefined {
  try {
    const text = readFileSync(path, 'utf8')
    return mustName === undefined || text.includes(mustName) ? parseJsonObject(text, path) : undefined
  } catch {
    return undefined
  }
}

/** The packages a project depends on directly: only those, never whatever else its node_modules hold. */
function dependencyNames(projectDir: string): string[] {
  const project = readJson(join(projectDir, 'package.json')) ?? {}
  const deps = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((field) =>
    Object.keys((project[field] as object) ?? {}),
  )
  // Sorted: how an installer ordered package.json must not change which default wins.
  return [...new Set(deps.filter(isPackageName))].sort()
}

/** The package.json of an installed package, refused when another user could have written it. */
export async function readInstalledPackage(nodeModules: string, name: string): Promise<PluginPackage | undefined> {
  const path = join(nodeModules, name, 'package.json')
  // A package.json that does not name "xcluster" is not parsed (a large one of a plain dependency costs a start-up).
  const pkg = readJson(path, '"xcluster"')
  if (!pkg || typeof pkg.xcluster !== 'object' || pkg.xcluster === null) return undefined
  await assertTrustedFile(path, `the plugin package ${name}`)
  const peer = (pkg.peerDependencies as Record<string, unknown> | undefined)?.['@xcluster/core']
  return {
    name,
    coreRange: typeof peer === 'string' && !peer.startsWith('workspace:') ? peer : undefined,
    manifest: pkg.xcluster as PluginManifest,
    dir: dirname(path),
  }
}

/** Every node_modules directory from `dir` up to `/`. */
function nodeModulesAbove(dir: string): string[] {
  const found = [join(dir, 'node_modules')]
  while (dirname(dir) !== dir) {
    dir = dirname(dir)
    found.push(join(dir, 'node_modules'))
  }
  return found
}

/** The plugin packages found, and why others were passed over (another user could have written them). */
export interface InstalledPackages {
  packages: PluginPackage[]
  refused: string[]
}

/**
 * The installed packages that declare an `"xcluster"` section among the direct dependencies of
 * each project directory (the user's project first, then core itself), each found the way Node
 * finds it from that project: so npm, pnpm and a linked workspace give the same plugins. A package
 * another user could have written is passed over (and said so), never fatal: a package planted
 * in a parent node_modules must not lock anyone out of `--help` or `stop`.
 */
export async function installedPluginPackages(projects: string[]): Promise<InstalledPackages> {
  const found = new Map<string, PluginPackage>()
  const refused: string[] = []
  for (const project of new Set(projects)) {
    for (const name of dependencyNames(project)) {
      if (found.has(name)) continue
      const nodeModules = nodeModulesAbove(project).find((dir) => existsSync(join(dir, name, 'package.json')))
      const pkg =
        nodeModules &&
        (await readInstalledPackage(nodeModules, name).catch((error: Error) => void refused.push(error.message)))
      if (pkg) found.set(name, pkg)
    }
  }
  return { packages: [...found.values()], refused }
}

/** The installed package that adds command `name`. */
export function commandPackage(packages: PluginPackage[], name: string): PluginPackage | undefined {
  return packages.find((pkg) => pkg.manifest.commands?.includes(name))
}

/** Thrown when a plugin named in the config or on the command line is not installed. */
export function notInstalled(name: string, projects: string[], why: string): XclusterError {
  return new XclusterError(
    `${why} needs ${name}, which is not installed here: run \`npm i -D ${name}\` in your project (looked from` +
      ` ${projects.join(', ')})`,
  )
}
