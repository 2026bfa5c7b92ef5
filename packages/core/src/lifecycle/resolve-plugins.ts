import { XclusterError } from '../errors.js'
import { importPackage } from '../installed/import-package.js'
import { type Plugin, assertCompatible, assertPluginShape } from '../contract/plugin.js'
import { type PluginPackage, installedPluginPackages, isPackageName } from '../installed/plugin-packages.js'

/** The roles core fills with an installed package's plugin when no configured plugin has them, in this order. */
export const DEFAULT_ROLES = ['net-backend', 'topology', 'dns'] as const

export interface PluginRequest {
  /** The config's `plugins`, then `--plugins=` / `XCLUSTER_PLUGINS`. */
  specs: unknown[]
  /** The project directories whose dependencies hold the plugins: the user's project, then core's own. */
  projects: string[]
  /** The netns the cluster runs in; a netns made by `xcluster nsadd` is named `<user>_xcluster<N>`. */
  netns: string | undefined
  /** Who runs it: only their own `<user>_xcluster<N>` is a cluster netns. */
  user: string
  /** `--topology=NAME` / `TOPOLOGY`: the topology plugin is made with `{ name }`, replacing the config's. */
  topology: string | undefined
}

/** Whether `netns` is the user's own cluster netns, `<user>_xcluster<N>` (what `xcluster nsadd` makes). */
export const inClusterNetns = (netns: string | undefined, user: string) =>
  netns?.startsWith(`${user}_xcluster`) === true && /^\d+$/.test(netns.slice(user.length + 9))

function roleHolders(plugins: Plugin[], role: string): Plugin[] {
  return plugins.filter((plugin) => plugin.provides?.includes(role))
}

/**
 * A plugin from its package: the package's declared core range first, then its factory (its default export) with the
 * options.
 */
async function pluginOfPackage(
  name: string,
  options: Record<string, unknown> | undefined,
  projects: string[],
  pkg: PluginPackage | undefined,
): Promise<Plugin> {
  if (pkg?.coreRange) assertCompatible({ name, coreRange: pkg.coreRange })
  const module = await importPackage<{ default?: unknown }>(name, projects, `the plugin ${name}`)
  if (typeof module.default !== 'function')
    throw new XclusterError(
      `plugin package ${name} has no default export that makes its plugin (export default function (options) { return` +
        ` { name, coreRange, apply } })`,
    )
  return (module.default as (options?: Record<string, unknown>) => Plugin)(options)
}

/** One spec to a plugin, checked: its shape and coreRange, before anything calls into it. */
async function pluginOf(spec: unknown, projects: string[], packages: PluginPackage[]): Promise<Plugin> {
  let plugin: unknown = spec
  if (typeof spec === 'string' || Array.isArray(spec)) {
    const [name, options] = typeof spec === 'string' ? [spec, undefined] : spec
    if (typeof name !== 'string' || !isPackageName(name))
      throw new XclusterError(
        `plugins: ${JSON.stringify(name).slice(0, 80)} is not a package name (e.g. "@xcluster/net-bridge" or` +
          ` ["my-plugin", { ... }])`,
      )
    if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options)))
      throw new XclusterError(`plugins: the options of ${name} must be an object`)
    plugin = await pluginOfPackage(
      name,
      options as Record<string, unknown> | undefined,
      projects,
      packages.find((pkg) => pkg.name === name),
    )
  }
  assertPluginShape(plugin)
  assertCompatible(plugin)
  return plugin
}

/** The installed package core adds for a role no plugin fills, when exactly one says it is the default here. */
function defaultPackage(packages: PluginPackage[], role: string, inCluster: boolean): PluginPackage | undefined {
  const where = inCluster ? 'in-cluster-netns' : 'outside-cluster-netns'
  const fitting = packages.filter(
    (pkg) =>
      pkg.manifest.provides?.includes(role) &&
      (pkg.manifest.default?.where === 'everywhere' || pkg.manifest.default?.where === where),
  )
  if (fitting.length > 1)
    throw new XclusterError(
      `${fitting.map((pkg) => pkg.name).join(' and ')} each want to be the default ${role} here: name the one you` +
        ` want in plugins`,
    )
  return fitting[0]
}

/**
 * The one plugin resolution, before any plugin configures anything: the configured plugins in
 * their order (packages by name imported from the user's project first), each checked for its
 * shape and coreRange; then, for each role of DEFAULT_ROLES no plugin provides, the installed
 * package that declares itself the default there. A cluster needs a network backend.
 */
export async function resolvePlugins(request: PluginRequest): Promise<Plugin[]> {
  const { projects, topology } = request
  const inCluster = inClusterNetns(request.netns, request.user)
  const { packages, refused } = await installedPluginPackages(projects)
  const plugins: Plugin[] = []
  for (const spec of request.specs) plugins.push(await pluginOf(spec, projects, packages))
  if (topology !== undefined) {
    const chosen = roleHolders(plugins, 'topology')[0]
    const pkg = packages.find((p) => p.name === chosen?.name) ?? defaultPackage(packages, 'topology', inCluster)
    if (!pkg)
      throw new XclusterError(
        `--topology=${topology} needs a topology plugin: run \`npm i -D @xcluster/ovl-network-topology\` in your` +
          ` project`,
      )
    const replaced = await pluginOf([pkg.name, { name: topology }], projects, packages)
    plugins.splice(0, plugins.length, ...plugins.filter((plugin) => !plugin.provides?.includes('topology')), replaced)
  }
  for (const role of DEFAULT_ROLES) {
    if (roleHolders(plugins, role).length > 0) continue
    const pkg = defaultPackage(packages, role, inCluster)
    if (pkg) plugins.push(await pluginOf([pkg.name, pkg.manifest.default?.options], projects, packages))
    else if (role === 'net-backend') {
      const passedOver = refused.length > 0 ? ` (passed over: ${refused.join('; ')})` : ''
      throw new XclusterError(
        `no network backend: run \`npm i -D @xcluster/net-userspace\` (or net-bridge) in your project, or name a` +
          ` backend in plugins${passedOver}`,
      )
    }
  }
  const backends = roleHolders(plugins, 'net-backend')
  if (backends.length > 1) {
    throw new XclusterError(
      `two network backends: ${backends.map((plugin) => plugin.name).join(' and ')}; keep one (a plugin that attaches` +
        ` only some nets must not provide "net-backend")`,
    )
  }
  return inTapOrder(plugins)
}

const RANK = { pre: 0, normal: 1, post: 2 } as const

/** `pre` plugins, then the others in their order, then `post` ones (a stable sort). */
function inTapOrder(plugins: Plugin[]): Plugin[] {
  return [...plugins].sort((a, b) => RANK[a.enforce ?? 'normal'] - RANK[b.enforce ?? 'normal'])
}
