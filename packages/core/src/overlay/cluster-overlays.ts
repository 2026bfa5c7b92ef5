import type { HookedCluster } from '../lifecycle/hooks.js'
import type { ClusterContext, Overlay } from '../lifecycle/context.js'
import { envOverlay } from './env-overlay.js'
import { type OverlaySearch, resolveOverlay } from './resolve-overlay.js'
import { readSelection } from './selection.js'

/** Where a cluster's overlays come from besides the overlay path. */
export type OverlayPlaces = Omit<OverlaySearch, 'ovlPath'>

/** The user's overlays: the config's, then those `mkcdrom` selected, found along the overlay path or as packages. */
export async function userOverlays(names: string[], context: ClusterContext, places: OverlayPlaces): Promise<Overlay[]> {
  const unique = [...new Set(names)]
  return Promise.all(unique.map((name) => resolveOverlay(name, { ovlPath: context.config.ovlPath, ...places })))
}

/** What goes on the cdrom, in unpack order: core's env, the plugins' overlays, then the user's. */
export async function clusterOverlays(cluster: Pick<HookedCluster, 'hooks'>, context: ClusterContext, places: OverlayPlaces): Promise<Overlay[]> {
  const selected = await readSelection(context.stateDir)
  const user = await userOverlays([...context.config.overlays, ...selected], context, places)
  return [envOverlay(context), ...(await cluster.hooks.overlays.promise([], context)), ...user]
}
