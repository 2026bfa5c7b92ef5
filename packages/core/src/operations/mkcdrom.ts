import { overlayNamesOf } from './completion-words.js'
import { rm } from 'node:fs/promises'
import { removeClusterFiles } from '../runtime/stop-nodes.js'
import { XclusterError } from '../errors.js'
import { defineOperation } from '../contract/operation.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

export const mkcdromOperation = defineOperation({
  name: 'mkcdrom',
  output: '`{ cdrom, overlays }`',
  summary: SUMMARIES.mkcdrom,
  usage: `[OVERLAY...]`,
  help: `Packs the overlays with tar as 00name.tar, 01name.tar, ... (in the order given, duplicates
removed) into the cdrom (<stateDir>/cdrom.iso, or __cdrom); the next start uses them, after core's env overlay and the
plugins' overlays. Each VM unpacks them on / at first boot, in name order.
An overlay is a directory (its contents go on /), a .tar file, or a name found along the overlay
path (ovlPath in the config, XCLUSTER_OVLPATH) as <dir>/<name> or <dir>/<name>.tar, else as a
package of your project: xcluster-ovl-<name>, @xcluster/ovl-<name> or @<scope>/xcluster-ovl-<name>.
With no overlay, the selection is cleared. A config that names its overlays (overlays, XOVLS,
--overlays) has them on every start: there mkcdrom refuses to choose others.`,
  flags: {},
  complete: (input) => overlayNamesOf(input),
  async run(input) {
    const cluster = await clusterOf(input)
    const { stateDir } = cluster.config
    const nodes = cluster.plannedNodes()
    const context = cluster.context(nodes, nodes, cluster.config.cdrom)
    const { config, overlayPlaces } = cluster
    if (input.args.length > 0 && config.overlays !== undefined)
      throw new XclusterError(
        `the config names its overlays (${config.overlays.join(', ') || 'none'}), which every start uses: add` +
          ` ${input.args.join(', ')} there, or remove overlays from it to choose them with mkcdrom`,
      )
    const { clusterOverlays, resolveOverlays } = await import('../overlay/cluster-overlays.js')
    const chosen = await resolveOverlays(input.args, config, overlayPlaces)
    const { writeSelection } = await import('../overlay/selection.js')
    await writeSelection(stateDir, input.args)
    if (input.args.length === 0) {
      await rm(cluster.config.cdrom, { force: true })
      await removeClusterFiles(stateDir)
      return { cdrom: cluster.config.cdrom, overlays: [] }
    }
    await cluster.packCdrom(await clusterOverlays(cluster, context, chosen))
    return { cdrom: cluster.config.cdrom, overlays: input.args }
  },
  present: ({ cdrom, overlays }) => ({
    text: '',
    notes: overlays.length > 0 ? [`${cdrom} holds ${overlays.join(', ')}`] : [],
  }),
})
