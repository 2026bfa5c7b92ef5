import { type Host, isLoopbackAddress } from '@xcluster/core'
import { queryDns } from '../client/query.js'

/** One check of the doctor: what it looked at, whether it passed, and what to do when not. */
export interface Step {
  name: string
  passed: boolean
  detail: string
  fix?: string
}

export async function serviceAnswers(server: string, port: number, tcp: boolean, name: string): Promise<Step> {
  const label =
    `the DNS service answers on ${server.includes(':') ? `[${server}]` : server}:${port} over` +
    ` ${tcp ? 'TCP' : 'UDP'}`
  return queryDns({ server, port, name, tcp, timeoutMs: 2000 }).then(
    (reply) => ({ name: label, passed: true, detail: `${name}: ${reply.rcode} ${reply.answers.join(' ')}`.trim() }),
    (error: Error) => ({
      name: label,
      passed: false,
      detail: error.message,
      fix:
        'start the cluster (its DNS starts with it) and look for the dns line of `xcluster status`; if another' +
        ' program holds the port, stop it',
    }),
  )
}

export async function resolves(server: string, port: number, name: string, what: string, fix: string): Promise<Step> {
  const reply = await queryDns({ server, port, name, timeoutMs: 4000 }).catch((error: Error) => ({
    rcode: error.message,
    answers: [] as string[],
  }))
  const passed = reply.rcode === 'NOERROR' && reply.answers.length > 0
  return {
    name: what,
    passed,
    detail: `${name}: ${reply.rcode} ${reply.answers.join(' ')}`.trim(),
    ...(passed ? {} : { fix }),
  }
}

/** Inside a netns, a loopback resolver of the host (systemd-resolved's 127.0.0.53, 127.0.1.1) does not answer. */
export function resolvConfStep(host: Host, netns: string): Step {
  const loopback = host.nameservers().filter(isLoopbackAddress)
  return {
    name: `/etc/resolv.conf names no loopback resolver (inside netns ${netns})`,
    passed: loopback.length === 0,
    detail: loopback.length === 0 ? 'no loopback nameserver' : `nameserver ${loopback.join(', ')}`,
    ...(loopback.length === 0
      ? {}
      : {
          fix:
            `point /etc/resolv.conf (or /etc/netns/${netns}/resolv.conf) at a real nameserver, e.g. disable` +
            ` systemd-resolved's stub`,
        }),
  }
}

export function remoteStep(name: string, exitCode: number | undefined, output: string, fix: string): Step {
  const passed = exitCode === 0
  return { name, passed, detail: output.trim().split('\n').slice(-3).join(' | '), ...(passed ? {} : { fix }) }
}
