// A hook module, the shell tool's XCLUSTER_HOOK as TypeScript: `XCLUSTER_HOOK=examples/hooks/nice-launch.ts`.
// Its plugins tap every command's cluster: here each VM's qemu is launched under `nice -n 10`, so a
// busy cluster leaves the host responsive. Its commands are new `xcluster` commands: `xcluster mystart`.
import { type Operation, type Plugin, clusterOf, defineOperation } from '@xcluster/core'

/** The niceness every qemu of the cluster runs at. */
export const NICENESS = 10

export const plugins: Plugin[] = [
  {
    name: 'nice-launch',
    coreRange: '^0.1.0',
    apply(cluster) {
      // A launch tap that returns true has started the VM itself; qemu still writes the -pidfile of its argv
      // (vm.files.pid).
      cluster.hooks.launch.tapPromise('nice-launch', async (vm, node, context) => {
        context.log(`${node.hostname}: qemu under nice -n ${NICENESS}`)
        await context.host.run('nice', ['-n', String(NICENESS), ...vm.argv])
        return true
      })
    },
  },
]

export const commands: Operation[] = [
  defineOperation({
    name: 'mystart',
    output: '`{ up }`: the hostnames of the VMs that came up',
    summary: `start the cluster afresh, every qemu under nice -n ${NICENESS}`,
    usage: '[settings]',
    help: `Stops the cluster if it runs, starts it again and prints the VMs that came up.`,
    flags: {},
    async run(input) {
      const cluster = await clusterOf(input)
      const { started } = await cluster.start({ restart: true })
      return { up: started.map((node) => node.hostname) }
    },
    // What `run` returned, as a person reads it; `xcluster mystart --json` prints it as it is.
    present: ({ up }) => ({ text: `mystart: ${up.join(', ')} up\n` }),
  }),
]
