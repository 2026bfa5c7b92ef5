import { type Cluster, hostname } from '@xcluster/core'
import type { CommandInput } from '@xcluster/core/cli'
import { DEFAULT_DNS_PORT, DEFAULT_DOMAIN } from '../settings.js'
import { type Step, remoteStep, resolvConfStep, resolves, serviceAnswers } from './steps.js'

export interface DoctorOptions {
  port?: number
  domain?: string
  /** A name only the upstream knows, to see forwarding work. */
  name: string
}

/** The seeds' DNS troubleshooting, step by step. */
export async function dnsDoctor(cluster: Cluster, input: CommandInput, options: DoctorOptions): Promise<Step[]> {
  const port = options.port ?? DEFAULT_DNS_PORT
  const domain = options.domain ?? DEFAULT_DOMAIN
  const own = `host.${domain}`
  const steps: Step[] = []
  for (const server of ['127.0.0.1', '::1'])
    for (const tcp of [false, true]) steps.push(await serviceAnswers(server, port, tcp, own))
  const { vms } = await cluster.status()
  const nodes = vms.length > 0 ? vms.map((v) => v.node) : cluster.plannedNodes()
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
  steps.push(
    await resolves(
      '127.0.0.1',
      port,
      options.name,
      'the service forwards to its upstream servers',
      "check the upstreams: the host's /etc/resolv.conf nameservers, or dns({ upstreams })",
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
    const other = hostname(nodes.find((n) => n.id !== vm.node.id)?.id ?? vm.node.id)
    const direct = await inVm(`nslookup ${options.name} 192.168.0.250:${port}`)
    steps.push(
      remoteStep(
        `${vm.node.hostname} queries 192.168.0.250:${port} directly`,
        direct.code,
        direct.out,
        'the VM cannot reach the host side of net 0: check the network backend (xcluster status) and that the service' +
          ' binds there',
      ),
    )
    const local = await inVm(`nslookup ${options.name}`)
    steps.push(
      remoteStep(
        `${vm.node.hostname} resolves through its local resolver`,
        local.code,
        local.out,
        "the VM's local resolver (dnsmasq, /etc/init.d/11local-dns.rc) is not answering: see /var/log/dnsmasq.log" +
          ' in the VM',
      ),
    )
    const cluster_ = await inVm(`nslookup ${other}.${domain}`)
    steps.push(
      remoteStep(
        `${vm.node.hostname} resolves the cluster name ${other}.${domain}`,
        cluster_.code,
        cluster_.out,
        "the service does not know the cluster's names: restart the cluster",
      ),
    )
  }
  return steps
}
