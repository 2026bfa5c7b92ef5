import { XclusterError } from '../../errors.js'
import { deleteSnapshot, listSnapshots } from '../../snapshot/snapshot-files.js'
import type { Command } from '../command.js'
import { clusterOf, configOf } from '../cluster-of.js'
import { printStatus } from '../print-status.js'

const VERBS = ['save', 'restore', 'list', 'delete']

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'save the running cluster (memory, devices, disks) and bring it back in seconds: save|restore|list|delete',
  usage: 'save NAME | restore NAME | list | delete NAME',
  help: `save NAME: freezes every VM (disks flushed), writes each one's memory and devices (QMP migrate to a
file) and disk, the cdrom and what it was taken of under <workspace>/snapshots/NAME (private), then
lets them run on. restore NAME (or \`start --snapshot=NAME\`): stops a cluster that runs, makes the
nets as a start does, starts each VM from its saved state and sets its clock; a snapshot taken with
another kernel, initrd, image or plugins is refused naming each difference. list: each snapshot,
when it was taken, its VMs and its size. delete NAME removes it.`,
  flags: {},
  complete: (_input, index) => (index === 0 ? VERBS : []),
  async run(input) {
    const [verb, name, ...rest] = input.args
    const needsName = verb !== 'list'
    if (!VERBS.includes(verb ?? '') || (needsName && !name) || rest.length > 0 || (!needsName && name))
      throw new XclusterError('snapshot needs save NAME, restore NAME, list or delete NAME')
    const { workspace } = (await configOf(input)).config
    if (verb === 'list') {
      const found = await listSnapshots(workspace)
      for (const s of found) {
        if (s.problem !== undefined) input.stderr(`${s.name}: cannot be read: ${s.problem}\n`)
        else input.stdout(`${s.name}  ${s.created}  ${(s.bytes / 2 ** 20).toFixed(0)} MiB  ${s.vms.join(' ')}\n`)
      }
      if (found.length === 0) input.stdout('no snapshots\n')
      return 0
    }
    if (verb === 'delete') {
      await deleteSnapshot(workspace, name)
      input.stdout(`snapshot ${name} deleted\n`)
      return 0
    }
    const cluster = await clusterOf(input)
    if (verb === 'save') {
      input.stdout(`snapshot ${name} saved in ${await cluster.saveSnapshot(name)}\n`)
      return 0
    }
    await cluster.start({ restart: true, snapshot: name })
    return printStatus(await cluster.status(), cluster.config.stateDir, input) > 0 ? 1 : 0
  },
}
