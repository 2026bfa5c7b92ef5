import semver from 'semver'
import type { ConfigLayer } from './settings.js'
import type { UserSettings } from './settings.js'
import { type ConfigIssue, XclusterError } from '../errors.js'
import { CORE_VERSION } from '../version.js'
import type { PluginTarget } from './hooks.js'
import type { Setting } from '../config/settings.js'

/** A plugin only taps the cluster's hooks; factories make them: `bridge()`, `topology('xnet')`. */
export interface Plugin {
  /** Shown in logs and errors: the package name, e.g. `@xcluster/net-bridge`. */
  name: string
  /** The semver range of @xcluster/core this plugin works with, e.g. `^0.1.0`. */
  coreRange: string
  /**
   * Roles it fills: `net-backend`, `topology`, `dns`, `hosts` (spreads the VMs over the `hosts` setting), or your
   * own. Core adds an installed default only for a role no configured plugin provides.
   */
  provides?: string[]
  /**
   * Where it taps the hooks among the others, which decides whose `netSetup` and `hostEndpoint`
   * answer wins: `pre` plugins first (the `__net_setup` script is one), then those without
   * `enforce` in the config's order, then `post` ones (the network backends, which answer for
   * every net and so come last).
   */
  enforce?: 'pre' | 'post'
  /**
   * Called while the config is resolved, with what the user set (file, environment, command
   * line): returns defaults that go under the user's settings, and the user settings it cannot
   * work with.
   */
  configure?(user: ConfigLayer): { defaults: UserSettings; issues: ConfigIssue[] }
  /**
   * Settings of its own, each a key of the config (`hosts`) with its spellings (`--hosts`, XCLUSTER_HOSTS), kind,
   * rules, default and help: read, validated, printed by `env` and listed in `--help` as core's are, while the plugin
   * is in use. Type them for a config by adding them to PluginSettings (`declare module '@xcluster/core'`).
   */
  settings?: Setting[]
  /** Called once per cluster, before any hook runs: tap the hooks here. */
  apply(cluster: PluginTarget): void
}

/**
 * How a config names a plugin: the plugin itself, a package name, or a package name and the options for its factory.
 */
export type PluginSpec = Plugin | string | [string, Record<string, unknown>?]

/** Refuses what is not a plugin object, with the usual mistake named. */
export function assertPluginShape(value: unknown): asserts value is Plugin {
  const p = value as Plugin
  if (!p || typeof p !== 'object' || typeof p.name !== 'string' || typeof p.apply !== 'function') {
    const shown = typeof value === 'function' ? 'a function' : JSON.stringify(value)?.slice(0, 80)
    throw new XclusterError(
      `plugins: ${shown} is not a plugin: a plugin is an object { name, coreRange, apply(cluster) }; call the plugin` +
        ` factory, e.g. bridge(), or name its package`,
    )
  }
  if (p.enforce !== undefined && p.enforce !== 'pre' && p.enforce !== 'post') {
    throw new XclusterError(
      `plugin ${p.name}: enforce must be "pre" or "post", got ${JSON.stringify(p.enforce)?.slice(0, 40)}`,
    )
  }
  if (
    p.provides !== undefined &&
    (!Array.isArray(p.provides) || !p.provides.every((role) => typeof role === 'string'))
  ) {
    throw new XclusterError(`plugin ${p.name}: provides must be a list of role names such as ["net-backend"]`)
  }
  const settings: unknown = p.settings
  if (
    settings !== undefined &&
    (!Array.isArray(settings) ||
      !settings.every(
        (s) => typeof s?.path === 'string' && /^[a-z][A-Za-z0-9]{0,39}$/.test(s.path) && typeof s.help === 'string',
      ))
  )
    throw new XclusterError(
      `plugin ${p.name}: settings must be a list of { path, kind, value, help, ... }, each path one key of the` +
        ' config (a letter, then letters and digits)',
    )
}

/** Refuses a plugin made for another core (Babel's api.assertVersion). */
export function assertCompatible(plugin: Pick<Plugin, 'name' | 'coreRange'>, coreVersion: string = CORE_VERSION): void {
  if (typeof plugin.coreRange !== 'string' || semver.validRange(plugin.coreRange) === null) {
    throw new XclusterError(
      `plugin ${plugin.name} declares no valid coreRange (got ${JSON.stringify(plugin.coreRange)}); it must be a` +
        ` semver range such as "^0.1.0"`,
    )
  }
  if (!semver.satisfies(coreVersion, plugin.coreRange, { includePrerelease: true })) {
    throw new XclusterError(
      `plugin ${plugin.name} needs @xcluster/core ${plugin.coreRange}, but this is @xcluster/core ${coreVersion}:` +
        ` install a version of the plugin made for core ${coreVersion}`,
    )
  }
}
