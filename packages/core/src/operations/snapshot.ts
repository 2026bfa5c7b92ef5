import { XclusterError } from '../errors.js'
import type { ListedSnapshot } from '../snapshot/snapshot-files.js'
import { type Presentation, defineOperation } from '../contract/operation.js'
import { clusterOf, configOf } from './cluster-of.js'
import { type StatusReport, presentStatus, statusReport } from './status-rows.js'
import { SUMMARIES } from './summaries.js'

const VERBS = ['save', 'restore', 'list', 'delete']

type SnapshotResult =
  | { listed: ListedSnapshot[] }
  | { deleted: string }
  | { saved: string; dir: string }
  | { restored: string; status: StatusReport }

function present(result: SnapshotResult): Presentation {
  if ('deleted' in result) return { text: `snapshot ${result.deleted} deleted\n` }
  if ('saved' in result) return { text: `snapshot ${result.saved} saved in ${result.dir}\n` }
  if ('restored' in result) return presentStatus(result.status)
  const readable = result.listed.filter((s) => s.problem === undefined)
  return {
    text:
      readable
        .map((s) => `${s.name}  ${s.created}  ${(s.bytes / 2 ** 20).toFixed(0)} MiB  ${s.vms.join(' ')}\n`)
        .join('') || (result.listed.length === 0 ? 'no snapshots\n' : ''),
    notes: result.listed.flatMap((s) => (s.problem === undefined ? [] : [`${s.name}: cannot be read: ${s.problem}`])),
  }
}

export const snapshotOperation = defineOperation({
  name: 'snapshot',
  output: '`{ listed }`, `{ saved, dir }`, `{ deleted }` or `{ restored, status }`',
  summary: SUMMARIES.snapshot,
  usage: 'save NAME | restore NAME | list | delete NAME',
  help: `save NAME: freezes every VM (disks flushed), writes each one's memory and devices (QMP migrate to a
file) and disk, the cdrom and what it was taken of under <workspace>/snapshots/NAME (private), then
lets them run on. restore NAME (or \`start --snapshot=NAME\`): stops a cluster that runs, makes the
nets as a start does, starts each VM from its saved state and sets its clock; a snapshot taken with
another kernel, initrd, image or plugins is refused naming each difference. list: each snapshot,
when it was taken, its VMs and its size. delete NAME removes it.`,
  flags: {},
  complete: (_input, index) => (index === 0 ? VERBS : []),
  async run(input): Promise<SnapshotResult> {
    const [verb, name, ...rest] = input.args
    const needsName = verb !== 'list'
    if (!VERBS.includes(verb ?? '') || (needsName && !name) || rest.length > 0 || (!needsName && name))
      throw new XclusterError('snapshot needs save NAME, restore NAME, list or delete NAME')
    const { workspace } = (await configOf(input)).config
    const { deleteSnapshot, listSnapshots } = await import('../snapshot/snapshot-files.js')
    if (verb === 'list') return { listed: await listSnapshots(workspace) }
    if (verb === 'delete') {
      await deleteSnapshot(workspace, name)
      return { deleted: name }
    }
    const cluster = await clusterOf(input)
    if (verb === 'save') return { saved: name, dir: await cluster.saveSnapshot(name) }
    await cluster.start({ restart: true, snapshot: name })
    return { restored: name, status: statusReport(await cluster.status(), cluster.config.stateDir) }
  },
  present,
})
