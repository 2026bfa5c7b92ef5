import { type Cluster, hostname } from '@xcluster/core'
import type { OperationInput } from '@xcluster/core'
import { serviceConfigOf } from '../service.js'
import { DEFAULT_DNS_PORT, DEFAULT_DOMAIN } from '../settings.js'
import { type Step, remoteStep, resolvConfStep, resolves, serviceAnswers } from './steps.js'

export interface DoctorOptions {
  port?: number
  domain?: string
  /** A name only the upstream knows, to see forwarding work. */
  name: string
}

/** The one step when no VM of the cluster runs: its DNS service runs with it, so nothing else can be looked at. */
const NOTHING_RUNS: Step = {
  name: 'a VM of the cluster runs',
  passed: false,
  detail: 'no VM of this cluster is running, and its DNS service starts and stops with it',
  fix: 'start the cluster (`xcluster start`), then run the doctor again',
}

/** Who the service forwards to, for a step to name them. */
async function upstreamsOf(stateDir: string): Promise<string> {
  const upstreams = (await serviceConfigOf(stateDir))?.upstreams ?? []
  return upstreams.length === 0 ? 'none' : upstreams.map(({ host, port }) => `${host}:${port}`).join(', ')
}

/**
 * The seeds' DNS troubleshooting, step by step. The paths (the service, the VM to the host side of net 0, the VM's
 * local resolver) are checked with the cluster's own names, which the service answers itself; forwarding to the
 * upstreams, which an offline machine cannot do, is its own step, naming them.
 */
export async function dnsDoctor(cluster: Cluster, input: OperationInput, options: DoctorOptions): Promise<Step[]> {
  const port = options.port ?? DEFAULT_DNS_PORT
  const domain = options.domain ?? DEFAULT_DOMAIN
  const own = `host.${domain}`
  const { vms } = await cluster.status()
  if (!vms.some((v) => v.pid !== undefined)) return [NOTHING_RUNS]
  const steps: Step[] = []
  for (const server of ['127.0.0.1', '::1'])
    for (const tcp of [false, true]) steps.push(await serviceAnswers(server, port, tcp, own))
  const nodes = vms.map((v) => v.node)
  const first = nodes[0]
  if (first) {
    steps.push(
      await resolves(
        '127.0.0.1',
        port,
        `${first.hostname}.${domain}`,
        'the service answers a cluster name',
        'the service answers the names of the cluster it started with; restart the cluster',
      ),
    )
  }
  const upstreams = await upstreamsOf(cluster.config.stateDir)
  steps.push(
    await resolves(
      '127.0.0.1',
      port,
      options.name,
      `the service forwards ${options.name} to its upstream servers (${upstreams})`,
      `check the upstreams ${upstreams} (the host's /etc/resolv.conf nameservers, or dns({ upstreams })); an offline` +
        ' machine forwards nothing, and the cluster names still resolve',
    ),
  )
  const netns = input.host.netns
  if (netns) steps.push(resolvConfStep(input.host, netns))
  const idx = netns && /xcluster(\d+)$/.exec(netns)?.[1]
  if (idx) {
    const rule = ['-t', 'nat', '-C', 'POSTROUTING', '-s', '192.168.0.0/24', '-o', `host${idx}`, '-j', 'MASQUERADE']
    const nat = await input.host.run('iptables', rule).then(
      () => true,
      () => false,
    )
    steps.push({
      name: `the netns masquerades the maintenance net out of host${idx}`,
      passed: nat,
      detail: `iptables ${rule.join(' ')}`,
      ...(nat ? {} : { fix: `recreate the netns: xcluster nsdel ${idx}; xcluster nsadd ${idx}` }),
    })
  }
  const vm = vms.find((v) => v.pid !== undefined)
  if (vm) {
    const ssh = await cluster.sshArgs(vm.node.id)
    const inVm = async (command: string) =>
      input.host.run('ssh', [...ssh, command]).then(
        (out) => ({ code: 0, out }),
        (error: Error) => ({ code: 1, out: error.message }),
      )
    const other = `${hostname(nodes.find((n) => n.id !== vm.node.id)?.id ?? vm.node.id)}.${domain}`
    const direct = await inVm(`nslookup ${other} 192.168.0.250:${port}`)
    steps.push(
      remoteStep(
        `${vm.node.hostname} queries 192.168.0.250:${port} directly for ${other}`,
        direct.code,
        direct.out,
        'the VM cannot reach the host side of net 0: check the network backend (xcluster status) and that the service' +
          ' binds there',
      ),
    )
    const local = await inVm(`nslookup ${other}`)
    steps.push(
      remoteStep(
        `${vm.node.hostname} resolves ${other} through its local resolver`,
        local.code,
        local.out,
        "the VM's local resolver (dnsmasq, /etc/init.d/11local-dns.rc) is not answering: see /var/log/dnsmasq.log" +
          ' in the VM',
      ),
    )
    const forwarded = await inVm(`nslookup ${options.name}`)
    steps.push(
      remoteStep(
        `${vm.node.hostname} resolves ${options.name}, forwarded to the upstreams (${upstreams})`,
        forwarded.code,
        forwarded.out,
        `the upstreams ${upstreams} do not answer ${options.name} (the VM's own path works when the steps above pass)`,
      ),
    )
  }
  return steps
}
