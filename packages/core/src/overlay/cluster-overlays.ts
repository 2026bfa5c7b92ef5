import type { HookedCluster } from '../contract/hooks.js'
import type { ClusterConfig } from '../contract/settings.js'
import type { ClusterContext, Overlay } from '../contract/context.js'
import { envOverlay } from './env-overlay.js'
import { type OverlaySearch, resolveOverlay } from './resolve-overlay.js'
import { readSelection } from './selection.js'

/** Where a cluster's overlays come from besides the overlay path. */
export type OverlayPlaces = Omit<OverlaySearch, 'ovlPath'>

/** Overlays by name (duplicates once), found along the overlay path or as packages; an unknown name is an error. */
export async function resolveOverlays(
  names: string[],
  config: ClusterConfig,
  places: OverlayPlaces,
): Promise<Overlay[]> {
  return Promise.all([...new Set(names)].map((name) => resolveOverlay(name, { ovlPath: config.ovlPath, ...places })))
}

/**
 * The user's overlays of a start: those the config (XOVLS, --overlays) names, else those `mkcdrom` chose, said in the
 * log either way: a choice of mkcdrom made before the config named its overlays is not used, and said so.
 */
export async function selectedOverlays(
  config: ClusterConfig,
  places: OverlayPlaces,
  log: (line: string) => void,
): Promise<Overlay[]> {
  const chosen = await readSelection(config.stateDir)
  if (config.overlays === undefined) {
    if (chosen.length > 0)
      log(`overlays chosen by \`xcluster mkcdrom\`: ${chosen.join(', ')} (\`xcluster mkcdrom\` alone drops them)`)
    return resolveOverlays(chosen, config, places)
  }
  if (chosen.length > 0)
    log(
      `the config names its overlays: the choice of \`xcluster mkcdrom\` (${chosen.join(', ')}) is not used` +
        ' (`xcluster mkcdrom` alone drops it)',
    )
  return resolveOverlays(config.overlays, config, places)
}

/**
 * What goes on the cdrom, in unpack order: core's env, the plugins' overlays, then the user's (from
 * selectedOverlays).
 */
export async function clusterOverlays(
  cluster: Pick<HookedCluster, 'hooks'>,
  context: ClusterContext,
  user: Overlay[],
): Promise<Overlay[]> {
  return [envOverlay(context), ...(await cluster.hooks.overlays.promise([], context)), ...user]
}
