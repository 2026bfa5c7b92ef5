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

/** The user's overlays of a start: the config's, then those `mkcdrom` selected. */
export async function selectedOverlays(config: ClusterConfig, places: OverlayPlaces): Promise<Overlay[]> {
  return resolveOverlays([...config.overlays, ...(await readSelection(config.stateDir))], config, places)
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
