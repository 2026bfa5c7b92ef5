import { XclusterError } from '../errors.js'
import { defineOperation } from '../contract/operation.js'
import { settingsParagraph } from '../config/settings-help.js'
import { nodeJson } from './node-json.js'
import { type Launched, launched, presentLaunched } from './launched.js'
import { statusReport } from './status-rows.js'
import { clusterOf } from './cluster-of.js'
import { shellLine } from './shell-line.js'
import { SUMMARIES } from './summaries.js'

type Planned = ReturnType<typeof nodeJson> & { kernel: string; argv: string[] }

export const startOperation = defineOperation({
  name: 'start',
  output:
    'the VMs as `status --json`; with --dry-run, each VM as {id, hostname, role, nets, macs, ipv4, ipv6, mem, smp,' +
    ' kernel, argv}',
  summary: SUMMARIES.start,
  usage: `[--dry-run] [--json] [--snapshot=NAME] [settings]`,
  // Made when read (the settings paragraph is the table's): loading the operation does not make it.
  get help() {
    return `Boots vm-001.., routers vm-201.. and testers vm-221.. with their nets, in batches of --batch
VMs (default: the host's cores), waits until each says it is up, then prints the status.
The image is built first when missing or out of date. When the cluster runs (any VM of it), it
is stopped first and started again, as the shell tool does. If a VM fails to come up, every VM this start
launched is stopped and the error shows the end of its console log.
${settingsParagraph()}`
  },
  flags: {
    'dry-run': { type: 'boolean', help: 'print the qemu command line of every VM instead of starting it' },
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
  async run(input): Promise<{ planned: Planned[] } | Launched> {
    if (input.args.length > 0)
      throw new XclusterError(
        `start takes settings, not words: ${JSON.stringify(input.args[0]).slice(0, 40)} (settings are --name=value)`,
      )
    // --no-restart boots what is missing of the running cluster as it was started (its size, MTU, ...).
    const cluster = await clusterOf(input, { asStarted: input.flags.restart === false })
    if (input.flags['dry-run']) {
      const { kernel, plans } = await cluster.plan({ snapshot: input.flags.snapshot })
      return { planned: plans.map(({ node, argv }) => ({ ...nodeJson(node), kernel: kernel.label, argv })) }
    }
    const result = await cluster.start({ restart: input.flags.restart !== false, snapshot: input.flags.snapshot })
    return launched(result, statusReport(await cluster.status(), cluster.config.stateDir))
  },
  present(result) {
    if ('planned' in result)
      return {
        text: result.planned.map((row) => `# ${row.hostname} boots ${row.kernel}\n${shellLine(row.argv)}\n`).join(''),
      }
    return presentLaunched(result)
  },
  json: (result) => ('planned' in result ? result.planned : result.status.vms),
})
