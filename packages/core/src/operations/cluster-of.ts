import type { Cluster } from '../lifecycle/cluster.js'
import type { LoadOptions, LoadedCluster } from '../load/load-options.js'
import type { OperationInput } from '../contract/operation.js'

/**
 * What an operation's input adds to its session's config: settings, `--plugins` (XCLUSTER_PLUGINS), `--topology`
 * (TOPOLOGY).
 */
export function loadOptions(input: Pick<OperationInput, 'options' | 'host' | 'progress'>): LoadOptions {
  const plugins = (input.options.plugins ?? input.host.env.XCLUSTER_PLUGINS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  return {
    settings: input.options,
    plugins,
    topology: input.options.topology ?? input.host.env.TOPOLOGY,
    log: (message) => input.progress(message),
  }
}

/** The settings and plugins of a command (the config file and hook are read once per session). */
export function configOf(input: OperationInput): Promise<LoadedCluster> {
  return input.session.load(loadOptions(input))
}

/** The cluster of a command, its plugins applied; `asStarted`: with the settings the running cluster started with. */
export function clusterOf(input: OperationInput, options: Pick<LoadOptions, 'asStarted'> = {}): Promise<Cluster> {
  return input.session.cluster({ ...loadOptions(input), ...options })
}
