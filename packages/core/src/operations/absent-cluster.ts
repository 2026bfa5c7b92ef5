import { existsSync } from 'node:fs'
import type { OperationInput } from '../contract/operation.js'
import type { ClusterConfig } from '../contract/settings.js'
import { loadOptions } from './cluster-of.js'
import { COMMON_OPTIONS } from '../load/load-options.js'
import { resolveConfig } from '../config/resolve.js'
import { assertTrustedWorkspace } from '../workspace/trusted-workspace.js'

/**
 * The state directory of a command that names no plugin, topology or hook module (nor does its config file, if it
 * has one), when nothing is there: no cluster, so no plugin to load to ask it about. Without them that directory is
 * settled by core's settings alone (the defaults, the config file, the environment, the command line), since a
 * plugin may not move it. Undefined when the command has any of them, when its settings do not validate without
 * the plugins (the full load says why, or reads a plugin's setting), or when the directory is there.
 */
export async function absentCluster(input: OperationInput): Promise<string | undefined> {
  const { plugins, topology } = loadOptions(input)
  if (plugins?.length || topology !== undefined || input.host.env.XCLUSTER_HOOK) return undefined
  const file = (await input.session.configFile()).config
  // A config's plugins are resolved and its timeline checked, cluster or not: a broken one is said, not passed over.
  const noPlugins = file?.plugins === undefined || (Array.isArray(file.plugins) && file.plugins.length === 0)
  if (!noPlugins || file?.hook !== undefined || file?.faults !== undefined) return undefined
  let config: ClusterConfig
  try {
    config = resolveConfig({ file, options: input.options, commandOptions: COMMON_OPTIONS }, input.host)
  } catch {
    return undefined
  }
  if (existsSync(config.stateDir)) return undefined
  // As every command does: a workspace others can write is refused, whether or not this one reads it.
  await assertTrustedWorkspace(config.workspace)
  return config.stateDir
}
