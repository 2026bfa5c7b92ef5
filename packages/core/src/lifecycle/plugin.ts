import semver from 'semver'
import { XclusterError } from '../errors.js'
import { CORE_VERSION } from '../version.js'
import type { Cluster } from './cluster.js'
import type { ConfigLayer } from '../config/layer.js'
import type { UserConfig } from '../config/types.js'
import type { ConfigIssue } from '../errors.js'

/** A plugin only taps the cluster's hooks; factories make them: `bridge()`, `topology('xnet')`. */
export interface Plugin {
  /** Shown in logs and errors, e.g. `@xcluster/net-bridge`. */
  name: string
  /** The semver range of @xcluster/core this plugin works with, e.g. `^0.1.0`. */
  coreRange: string
  /** Set by network backends: when a configured plugin has it, core adds no default backend. */
  netBackend?: string
  /** Set by topology plugins: when a configured plugin has it, core adds no default topology. */
  topology?: string
  /**
   * Called while the config is resolved, with what the user set (file, environment, command
   * line): returns defaults that go under the user's settings, and the user settings it cannot
   * work with.
   */
  configure?(user: ConfigLayer): { defaults: UserConfig; issues: ConfigIssue[] }
  /** Called once per cluster, before any hook runs: tap the hooks here. */
  apply(cluster: Cluster): void
}

/** Refuses a plugin made for another core (Babel's api.assertVersion). */
export function assertCompatible(plugin: Plugin, coreVersion: string = CORE_VERSION): void {
  if (typeof plugin.coreRange !== 'string' || semver.validRange(plugin.coreRange) === null) {
    throw new XclusterError(`plugin ${plugin.name} declares no valid coreRange (got ${JSON.stringify(plugin.coreRange)}); it must be a semver range such as "^0.1.0"`)
  }
  if (!semver.satisfies(coreVersion, plugin.coreRange, { includePrerelease: true })) {
    throw new XclusterError(
      `plugin ${plugin.name} needs @xcluster/core ${plugin.coreRange}, but this is @xcluster/core ${coreVersion}: install a version of the plugin made for core ${coreVersion}`,
    )
  }
}
