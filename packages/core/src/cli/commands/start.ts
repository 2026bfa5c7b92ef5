import { XclusterError } from '../../errors.js'
import { defineCommand } from '../command.js'
import { SETTINGS_HELP } from '../parse-words.js'
import { nodeJson } from '../node-json.js'
import { printRefusals } from '../print-refusals.js'
import { printStatus } from '../print-status.js'
import { clusterOf } from '../cluster-of.js'
import { shellLine } from '../shell-words.js'

export const startCommand = defineCommand({
  name: 'start',
  summary: 'boot the cluster and wait until every VM is up (--dry-run prints the qemu command lines)',
  usage: `[--dry-run] [--json] [--snapshot=NAME] [settings]`,
  help: `Boots vm-001.., routers vm-201.. and testers vm-221.. with their nets, in batches of --batch
VMs (default: the host's cores), waits until each says it is up, then prints the status.
The image is built first when missing or out of date. When the cluster runs (any VM of it), it
is stopped first and started again, as the shell tool does. If a VM fails to come up, every VM this start
launched is stopped and the error shows the end of its console log.
${SETTINGS_HELP}`,
  flags: {
    'dry-run': { type: 'boolean', help: 'print the qemu command line of every VM instead of starting it' },
    json: {
      type: 'boolean',
      help:
        'a JSON array: with --dry-run {id, hostname, role, nets, macs, ipv4, ipv6, mem, smp, kernel, argv}, else' +
        ' the status',
    },
    snapshot: {
      type: 'string',
      value: 'NAME',
      help: 'bring the cluster back from snapshot NAME (`xcluster snapshot save NAME`) instead of booting it',
    },
    restart: {
      type: 'boolean',
      help:
        '--no-restart: leave VMs that run alone: each is refused (exit status 1) and the others start, as the' +
        " cluster's start made them (its settings under this command line's)",
    },
  },
  async run(input) {
    if (input.args.length > 0)
      throw new XclusterError(
        `start takes settings, not words: ${JSON.stringify(input.args[0]).slice(0, 40)} (settings are --name=value)`,
      )
    // --no-restart boots what is missing of the running cluster as it was started (its size, MTU, ...).
    const cluster = await clusterOf(input, { asStarted: input.flags.restart === false })
    if (input.flags['dry-run']) {
      const { kernel, plans } = await cluster.plan({ snapshot: input.flags.snapshot })
      const rows = plans.map(({ node, argv }) => ({ ...nodeJson(node), kernel: kernel.label, argv }))
      if (input.flags.json) input.stdout(`${JSON.stringify(rows, null, 2)}\n`)
      else for (const row of rows) input.stdout(`# ${row.hostname} boots ${row.kernel}\n${shellLine(row.argv)}\n`)
      return 0
    }
    const { refused } = await cluster.start({ restart: input.flags.restart !== false, snapshot: input.flags.snapshot })
    printRefusals(refused, 'start', input)
    printStatus(await cluster.status(), cluster.config.stateDir, input)
    return refused.length > 0 ? 1 : 0
  },
})
