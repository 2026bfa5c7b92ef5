import { type Operation, XclusterError, clusterOf, defineOperation } from '@xcluster/core'
import { dnsDoctor } from './doctor/doctor.js'

const doctorOperation = defineOperation({
  name: 'doctor',
  output: 'the steps: `{ name, passed, detail, fix }`',
  summary: "check the cluster's DNS step by step (`xcluster doctor dns`)",
  usage: 'dns [--json] [--name=NAME] [--port=10053] [--domain=xcluster]',
  help: `Automates the DNS troubleshooting of xcluster's networking notes, each step printed as passed or
failed with the fix: the service on port 10053 over UDP and TCP, IPv4 and IPv6; a cluster name;
forwarding to the upstreams (a query for --name, default www.debian.org), named; inside a netns,
whether /etc/resolv.conf names a loopback stub and whether the netns masquerades the maintenance
net; and from a VM, a cluster name straight from 192.168.0.250:10053, the same through the VM's
local resolver, and --name forwarded. The paths are checked with the cluster's own names, so an
offline machine fails the forwarding steps only. With no VM running it says so at once. The exit
status is 0 when every step passed.`,
  flags: {
    name: { type: 'string', value: 'NAME', help: 'the name forwarding is tried with (www.debian.org)' },
    port: { type: 'string', value: 'PORT', help: "the DNS service's port (10053)" },
    domain: { type: 'string', value: 'DOMAIN', help: "the cluster's domain (xcluster)" },
  },
  complete: (_input, index) => (index === 0 ? ['dns'] : []),
  async run(input) {
    if (input.args[0] !== 'dns') throw new XclusterError('the doctor knows one subject: `xcluster doctor dns`')
    const cluster = await clusterOf(input)
    const port = input.flags.port ? Number(input.flags.port) : undefined
    return dnsDoctor(cluster, input, { port, domain: input.flags.domain, name: input.flags.name ?? 'www.debian.org' })
  },
  present: (steps) => ({
    text: steps
      .map(
        (step) =>
          `${step.passed ? 'PASS' : 'FAIL'}  ${step.name}:` +
          ` ${step.detail}${step.fix ? `\n      fix: ${step.fix}` : ''}\n`,
      )
      .join(''),
    exit: steps.every((step) => step.passed) ? 0 : 1,
  }),
})

/** The operations this package adds: commands of the xcluster CLI. */
export const operations: Operation[] = [doctorOperation]
