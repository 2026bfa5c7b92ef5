import { dirname } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type Host,
  type Operation,
  XclusterError,
  defineOperation,
  endProcess,
  ensurePrivateDir,
  idsWithFiles,
  parseJsonAs,
  removeVmFiles,
  runningVms,
  vmFiles,
  z,
} from '@xcluster/core'
import { linkExists } from '@xcluster/net-ovs'
import { chassisProblem, startChassis, stopChassis } from './chassis.js'
import { MACHINE_DIR } from './machine-dir.js'
import { NET_OVN_VERSION } from './version.js'

// What each request carries, checked before anything is done with it.
const isDir = (value: unknown): value is string => typeof value === 'string' && MACHINE_DIR.test(value)
const isInt = (value: unknown, low: number, high: number): value is number =>
  Number.isInteger(value) && (value as number) >= low && (value as number) <= high

export function request(json: string | undefined): Record<string, unknown> {
  const value = parseJsonAs(z.record(z.string(), z.unknown()), json ?? '{}', 'ovn-host: a JSON object')
  if (value.dir !== undefined && !isDir(value.dir))
    throw new XclusterError(`ovn-host: dir ${JSON.stringify(value.dir)} must be /run/xcluster/NAME`)
  return value
}

/** Ends the VMs whose files are in `dir` (their qemu, checked by its pid file) and removes their files. */
async function endVms(dir: string, ids: number[]): Promise<void> {
  const running = await runningVms(dir, ids)
  await Promise.all([...running.values()].map((vm) => endProcess(vm.pid, 0)))
  await Promise.all(ids.map((id) => removeVmFiles(vmFiles(dir, id))))
}

/** What the machine does for one request; the answer is printed as JSON. */
export async function serve(host: Host, op: string | undefined, req: Record<string, unknown>): Promise<unknown> {
  const dir = req.dir as string
  switch (op) {
    case 'hello':
      return { version: NET_OVN_VERSION }
    case 'up': {
      const { name, index, cluster, mtu, southbound, port } = req
      if (!isDir(dir) || typeof name !== 'string' || !/^[a-z][a-z0-9-]{0,15}$/.test(name))
        throw new XclusterError('ovn-host up: needs dir and name')
      if (!isInt(index, 1, 16) || !isInt(mtu, 576, 65535)) throw new XclusterError('ovn-host up: index 1-16, mtu')
      if (typeof cluster !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(cluster))
        throw new XclusterError('ovn-host up: cluster')
      if (typeof southbound !== 'string' || !/^tcp:[0-9.]{7,15}:6642$/.test(southbound))
        throw new XclusterError('ovn-host up: southbound tcp:ADDR:6642')
      if (typeof port !== 'string' || !/^tap\d{1,5}$/.test(port)) throw new XclusterError('ovn-host up: port tapN')
      await ensurePrivateDir(dirname(dir), 'directory of xcluster hosts')
      await waitForLink(host, port)
      return startChassis(host, {
        entry: { name, via: 'sim' },
        dir,
        index,
        cluster,
        mtu,
        southbound,
        underlayPort: async (anchor) => {
          await host.run('ip', ['link', 'set', port, 'netns', String(anchor)])
          return port
        },
      })
    }
    case 'check':
      if (!isDir(dir) || typeof req.netns !== 'string' || !/^\/proc\/\d+\/ns\/net$/.test(req.netns))
        throw new XclusterError('ovn-host check: needs dir and netns')
      return { problem: await chassisProblem(host, dir, req.netns) }
    case 'end-vm':
      if (!isDir(dir) || !isInt(req.id, 1, 240)) throw new XclusterError('ovn-host end-vm: needs dir and id')
      await endVms(dir, [req.id])
      return {}
    case 'down':
      if (!isDir(dir)) throw new XclusterError('ovn-host down: needs dir')
      await endVms(dir, await idsWithFiles(dir))
      await stopChassis(host, dir)
      return {}
    default:
      throw new XclusterError(`ovn-host: ${op} is not hello, up, check, end-vm or down`)
  }
}

/** The ssh tunnel's end appears a moment after the connection is up. */
async function waitForLink(host: Host, link: string): Promise<void> {
  for (let k = 0; k < 100; k++) {
    if (await linkExists(host, link)) return
    await sleep(100)
  }
  throw new XclusterError(`ovn-host up: no ${link} within 10 s: the ssh tunnel did not come up (PermitTunnel?)`)
}

const agent = defineOperation({
  name: 'ovn-host',
  output: 'one JSON line, read by the xcluster that called it over ssh',
  summary: 'run by xcluster over ssh on a machine of `hosts`: makes, checks and ends its chassis and VMs (root)',
  usage: 'hello|up|check|end-vm|down JSON',
  help: `Not for typing: xcluster on the machine that runs a cluster calls it through ssh on each machine its
hosts list as ssh://USER@ADDRESS/PROJECT. Each request is a JSON object; the answer is one JSON line.
Everything it makes is under /run/xcluster (root's, private).`,
  flags: {},
  // Called by xcluster over ssh, never by an HTTP API or an agent.
  cliOnly: true,
  run: (input) => serve(input.host, input.args[0], request(input.args[1])),
  // The answer is one JSON line, which the calling xcluster reads.
  present: (answer) => ({ text: `${JSON.stringify(answer)}\n` }),
})

export const operations: Operation[] = [agent]
