import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { CommandFailed } from '../host/host.js'
import { assertTrustedFile } from '../host/trusted-path.js'
import type { ClusterContext, NetArgs } from '../contract/context.js'
import type { Plugin } from '../contract/plugin.js'
import type { Node } from '../node/node.js'
import { CORE_VERSION } from '../version.js'

/** What the shell tool exported to `__net_setup`, on top of the user's environment. */
function scriptEnvironment(node: Node, context: ClusterContext): Record<string, string> {
  const { config } = context
  const env = Object.fromEntries(
    Object.entries(context.host.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
  return {
    ...env,
    __mtu: String(config.mtu),
    __kvm: config.qemu,
    __nets: node.nics.map((nic) => nic.net).join(','),
    __mem: String(node.mem),
    __smp: String(node.smp),
    __nvm: String(config.nodes),
    __nrouters: String(config.routers),
    __ntesters: String(config.testers),
    __nets_vm: config.nets.vm.join(','),
    __nets_router: config.nets.router.join(','),
    __nets_tester: config.nets.tester.join(','),
    XCLUSTER_TMP: context.stateDir,
    XCLUSTER_WORKSPACE: config.workspace,
  }
}

/**
 * Runs the script for one NIC; its stdout, split at white space as the shell tool's `$(...)` did, is the qemu
 * options.
 */
async function scriptNetArgs(script: string, node: Node, net: number, context: ClusterContext): Promise<NetArgs> {
  const call = `__net_setup ${script} ${node.id} ${net} (${node.hostname}, net ${net})`
  await access(script, constants.X_OK).catch(() => {
    throw new XclusterError(`${call}: ${script} is not an executable file; nothing was started`)
  })
  await assertTrustedFile(script, `the __net_setup program ${script}`)
  let out: string
  try {
    out = await context.host.run(script, [String(node.id), String(net)], { env: scriptEnvironment(node, context) })
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error
    throw new XclusterError(
      `${call} failed${error.exitCode === undefined ? '' : ` with exit status ${error.exitCode}`}; nothing was` +
        ` started. Its stderr:\n${error.stderr.trim()}`,
    )
  }
  const words = out.split(/\s+/).filter(Boolean)
  if (words.length === 0)
    throw new XclusterError(
      `${call} printed no qemu options; it must print the -netdev and -device words of that NIC on stdout (logs go to` +
        ` stderr); nothing was started`,
    )
  return words
}

/**
 * The shell tool's `__net_setup` as a plugin: every NIC is attached by the script, before any
 * network backend; the backend still makes the host side (bridges) and says how to reach a VM.
 */
export function netSetupScript(path: string): Plugin {
  const script = resolve(path)
  return {
    name: '__net_setup',
    coreRange: `^${CORE_VERSION}`,
    enforce: 'pre',
    apply(cluster) {
      cluster.hooks.netSetup.tapPromise('__net_setup', ({ node, nic, context }) =>
        scriptNetArgs(script, node, nic.net, context),
      )
    },
  }
}
