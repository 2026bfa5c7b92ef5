import type { DnsServerConfig } from './settings.js'

/** The CoreDNS configuration that does what the embedded server does. */
export function corefile(config: DnsServerConfig): string {
  const hosts = Object.entries(config.names).flatMap(([name, own]) =>
    [...own.a, ...own.aaaa].map((address) => `    ${address} ${name}`),
  )
  const upstreams = config.upstreams.map((u) =>
    u.host.includes(':') ? `[${u.host}]:${u.port}` : `${u.host}:${u.port}`,
  )
  return `.:${config.port} {
  bind ${config.bind.join(' ')}
  hosts {
${hosts.join('\n')}
    fallthrough
  }
  forward . ${upstreams.join(' ')}
  cache 3000
  log
}
`
}
