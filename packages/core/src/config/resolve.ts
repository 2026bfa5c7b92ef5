import { join } from 'node:path'
import { imageFiles } from '@xcluster/image/image-files'
import { ConfigError, type ConfigIssue } from '../errors.js'
import type { HostFacts } from '../host/host-facts.js'
import { type ConfigLayer, mergeLayers } from './layer.js'
import { commandLineLayer, environmentLayer } from './legacy.js'
import type { Setting } from './settings.js'
import { settingDefaults } from './setting-values.js'
import { settingsTable } from './plugin-settings.js'
import type { Plugin } from '../contract/plugin.js'
import type { ClusterConfig, PortSettings, UserSettings } from '../contract/settings.js'
import type { UserConfig } from '../contract/user-config.js'
import { unknownKeys, validate } from './validate.js'

/**
 * The defaults: the shell tool's counts, nets and sizes; paths follow the host (user, netns) so clusters in different
 * netns never share state.
 */
export function defaultConfig(host: HostFacts, table?: readonly Setting[]): UserSettings {
  return { ...settingDefaults(host, table), node: {} }
}

export interface ConfigSources {
  /** What the config file exported (after calling it, when it is a function); its plugins are resolved apart. */
  file?: UserConfig
  /** The resolved plugins, whose `configure` add defaults under the user's settings. */
  plugins?: Plugin[]
  /** Long options given on the command line, without their `--`. */
  options?: Record<string, string>
  /** Options of the command itself (`dry-run`, `json`), which are not cluster settings. */
  commandOptions?: readonly string[]
}

/**
 * Defaults < plugins' defaults < file < environment < command line, validated all at once; throws ConfigError listing
 * every problem.
 */
export function resolveConfig(sources: ConfigSources, host: HostFacts): ClusterConfig {
  const issues: ConfigIssue[] = []
  const { plugins: _specs, faults: _faults, ...file } = sources.file ?? {}
  // Core's settings and those of the plugins in use.
  const table = settingsTable(sources.plugins ?? [])
  unknownKeys(sources.file ?? {}, issues, table)
  const userLayers: ConfigLayer[] = [
    { config: file, origins: {} },
    environmentLayer(host.env, issues, table),
    commandLineLayer(sources.options ?? {}, sources.commandOptions ?? [], issues, table),
  ]
  const user = mergeLayers(userLayers)
  // Bounded first: a plugin's configure may loop over counts, so it sees only valid settings.
  issues.push(...validate(user, table))
  if (issues.length > 0) throw new ConfigError(issues)
  const pluginLayers = (sources.plugins ?? []).flatMap((plugin) => {
    if (typeof plugin?.configure !== 'function') return []
    const { defaults, issues: pluginIssues } = plugin.configure(user)
    issues.push(...pluginIssues)
    // Where a cluster lives is the user's: `status` looks for a cluster there before it loads any plugin.
    if (defaults?.stateDir !== undefined)
      issues.push({
        option: `stateDir (set by the plugin ${plugin.name})`,
        value: defaults.stateDir,
        rule: 'a plugin may not move the state directory: set it in the config, XCLUSTER_TMP or --state-dir',
      })
    return [{ config: defaults, origins: {} }]
  })
  const merged = mergeLayers([{ config: defaultConfig(host, table), origins: {} }, ...pluginLayers, ...userLayers])
  issues.push(...validate(merged, table))
  if (issues.length > 0) throw new ConfigError(issues)
  const c = merged.config as Required<UserSettings>
  const built = imageFiles(c.workspace)
  return {
    ...c,
    nets: c.nets as ClusterConfig['nets'],
    ports: c.ports as PortSettings,
    accel: c.accel === 'auto' ? (host.kvm ? 'kvm' : 'tcg') : c.accel,
    kernel: c.kernel ?? 'default',
    initrd: c.initrd ?? built.initrd,
    image: c.image ?? built.disk,
    cdrom: c.cdrom ?? join(c.stateDir, 'cdrom.iso'),
  }
}
