import { runningVmIds } from './completion-words.js'
import { connectWhenFree } from '../vm/one-client-socket.js'
import { XclusterError } from '../errors.js'
import { vmFiles } from '../qemu/state-files.js'
import { defineOperation } from '../contract/operation.js'
import { nodeIdArg } from './node-ids.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

/** Ctrl-] leaves the console, as in telnet. */
const DETACH = 0x1d

export const vmOperation = defineOperation({
  name: 'vm',
  output: 'the serial console, on the terminal',
  summary: SUMMARIES.vm,
  usage: `ID`,
  help: `Attaches the terminal to the serial console of VM ID. Ctrl-] detaches; the VM keeps running.
The whole console output since boot is in <stateDir>/vm-NNN.log.`,
  flags: {},
  // It holds the terminal: what is typed goes to the console.
  stream: true,
  terminal: true,
  complete: (input, index) => (index === 0 ? runningVmIds(input) : []),
  async run(input) {
    const id = nodeIdArg(input.args, 'vm')
    const cluster = await clusterOf(input)
    const { hostname } = await cluster.runningNode(id)
    // Another client may hold the console a moment (the page while it types): its turn comes.
    const socket = await connectWhenFree(vmFiles(cluster.config.stateDir, id).console, Date.now() + 10_000).catch(
      (error: Error) => {
        throw new XclusterError(`cannot attach to the console of ${hostname}: ${error.message}`)
      },
    )
    const stdin = process.stdin
    input.stderr(`Connected to the console of ${hostname}; detach with Ctrl-]\n`)
    return new Promise<number>((done, fail) => {
      const finish = (status: number) => {
        if (stdin.isTTY) stdin.setRawMode(false)
        // Destroyed, not paused: an open stdin pipe would keep the process alive after detaching.
        stdin.destroy()
        socket.destroy()
        done(status)
      }
      if (stdin.isTTY) stdin.setRawMode(true)
      stdin.on('data', (chunk: Buffer) => {
        const k = chunk.indexOf(DETACH)
        if (k >= 0) {
          socket.write(chunk.subarray(0, k))
          finish(0)
        } else socket.write(chunk)
      })
      stdin.on('end', () => finish(0))
      socket.on('data', (chunk) => process.stdout.write(chunk))
      socket.on('close', () => finish(0))
      socket.on('error', (error) =>
        fail(new XclusterError(`cannot attach to the console of ${hostname}: ${error.message}`)),
      )
    })
  },
})
