import type { HookedCluster } from '../lifecycle/hooks.js'
import type { ClusterContext, Overlay } from '../lifecycle/context.js'
import { envOverlay } from './env-overlay.js'
import { resolveOverlay } from './resolve-overlay.js'
import { readSelection } from './selection.js'

/** The user's overlays: the config's, then those `mkcdrom` selected, found along the overlay path. */
export async function userOverlays(names: string[], context: ClusterContext, cwd: string): Promise<Overlay[]> {
  const unique = [...new Set(names)]
  return Promise.all(unique.map((name) => resolveOverlay(name, context.config.ovlPath, cwd)))
}

/** What goes on the cdrom, in unpack order: core's env, the plugins' overlays, then the user's. */
export async function clusterOverlays(cluster: Pick<HookedCluster, 'hooks'>, context: ClusterContext, cwd: string): Promise<Overlay[]> {
  const selected = await readSelection(context.stateDir)
  const user = await userOverlays([...context.config.overlays, ...selected], context, cwd)
  return [envOverlay(context), ...(await cluster.hooks.overlays.promise([], context)), ...user]
}
