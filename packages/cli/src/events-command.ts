import { defineOperation } from '@xcluster/core/adapter'
import type { LabEvent } from './ui/event-ring.js'
import { untilSignalled } from './until-signalled.js'
import { CLI_SUMMARIES } from './summaries.js'

/** `xcluster events`: the cluster's changes as they happen, as the page gets them. */
export const eventsOperation = defineOperation({
  name: 'events',
  output: 'one line per change (`--json`: one JSON object per line: id, kind, data), until Ctrl-C',
  summary: CLI_SUMMARIES.events,
  usage: '[--json]',
  help: `Prints each change of the running cluster as it happens, until Ctrl-C: a VM's state (booting, up,
paused, down), a link taken down or up, a NIC's netem, VMs added and removed; first the whole state.
--json prints one object per line, { id, kind, data }, the events of \`xcluster ui\`'s /events.
While \`xcluster ui\` runs for the cluster (here), it prints the server's events, the steps of what the
page runs included; else it watches the VMs itself (their events sockets, vm-NNN.events).`,
  flags: { json: { type: 'boolean', help: 'one JSON object per line' } },
  stream: true,
  cliOnly: true,
  async run(input) {
    const { configOf } = await import('@xcluster/core')
    const { readUiAddress } = await import('./ui/ui-token.js')
    const { eventLine } = await import('./ui/event-line.js')
    const { stateDir } = (await configOf(input)).config
    const print = (event: LabEvent) => input.stdout(input.flags.json ? `${JSON.stringify(event)}\n` : eventLine(event))
    const stop = new AbortController()
    const signalled = untilSignalled().then(() => stop.abort())
    // The page's server of this cluster, when one runs here: its events, the steps of what the page runs included.
    const address = await readUiAddress(stateDir)
    if (address) {
      const { followServer } = await import('./ui/event-client.js')
      input.progress(`the events of the page's server, 127.0.0.1:${address.port}`)
      const followed = await followServer(address, (event) => event.kind !== 'rates' && print(event), stop.signal)
      if (followed) return 0
    }
    input.progress(`watching the cluster in ${stateDir}`)
    const { ClusterWatch } = await import('./ui/cluster-watch.js')
    const { EventRing } = await import('./ui/event-ring.js')
    const ring = new EventRing(1)
    // The first look's changes are the state the reset says.
    let started = false
    const watch = new ClusterWatch(input, stateDir, (change) => {
      if (started) print(ring.push(change.kind, change.data))
    })
    await watch.start()
    started = true
    print(ring.push('reset', watch.state))
    await signalled
    watch.close()
    return 0
  },
})
