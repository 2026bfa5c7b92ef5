import { defineOperation } from '@xcluster/core/adapter'

/** Ends when the process is told to (Ctrl-C, a kill). */
const untilSignalled = () =>
  new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })

/** `xcluster events`: the cluster's changes as they happen, as the page gets them. */
export const eventsOperation = defineOperation({
  name: 'events',
  output: 'one line per change (`--json`: one JSON object per line: id, kind, data), until Ctrl-C',
  summary: "print the cluster's changes as they happen: VM states, links, netem, VMs added and removed",
  usage: '[--json]',
  help: `Prints each change of the running cluster as it happens, until Ctrl-C: a VM's state (booting, up,
paused, down), a link taken down or up, a NIC's netem, VMs added and removed; first the whole state.
--json prints one object per line, { id, kind, data }, the events of \`xcluster ui\`'s /events.
It watches through the VMs' events sockets (vm-NNN.events), which serve one watcher at a time: while
\`xcluster ui\` runs, read its /events instead.`,
  flags: { json: { type: 'boolean', help: 'one JSON object per line' } },
  stream: true,
  cliOnly: true,
  async run(input) {
    const { configOf } = await import('@xcluster/core')
    const { servedOperations } = await import('./served/operation-call.js')
    const { ClusterWatch } = await import('./ui/cluster-watch.js')
    const { EventRing } = await import('./ui/event-ring.js')
    const { eventLine } = await import('./ui/event-line.js')
    const { stateDir } = (await configOf(input)).config
    const operations = await servedOperations(input)
    const named = (name: string) => operations.find((operation) => operation.name === name)!
    const ring = new EventRing(1)
    // The first look's changes are the state the reset says.
    let started = false
    const print = (kind: string, data: unknown) => {
      if (!started && kind !== 'reset') return
      const event = ring.push(kind, data)
      input.stdout(input.flags.json ? `${JSON.stringify(event)}\n` : eventLine(event))
    }
    const watch = new ClusterWatch(input, stateDir, { status: named('status'), netem: named('netem') }, (change) =>
      print(change.kind, change.data),
    )
    await watch.start()
    started = true
    print('reset', watch.state)
    await untilSignalled()
    watch.close()
    return 0
  },
})
