import { HOST_ID, type Node, embedIpv4 } from '@xcluster/core'

export interface DnsOptions {
  /** Port of the host service, UDP and TCP (10053). */
  port?: number
  /** Domain of the cluster's own names: vm-001.<domain> (xcluster). */
  domain?: string
  /**
   * Upstream servers, `addr` or `addr:port` (`[v6]:port`); default: XCLUSTER_DNS_UPSTREAMS (comma-separated), else
   * the host's /etc/resolv.conf nameservers.
   */
  upstreams?: string[]
  /** A coredns binary to use before looking in $GOPATH/bin, the workspace's bin/ and PATH. */
  coredns?: string
}

export interface Upstream {
  host: string
  port: number
}

/** Addresses of one name the service answers itself. */
export interface OwnName {
  a: string[]
  aaaa: string[]
}

/** Everything the service needs, written to a file the server process reads. */
export interface DnsServerConfig {
  port: number
  domain: string
  /** Addresses to listen on, UDP and TCP. */
  bind: string[]
  upstreams: Upstream[]
  names: Record<string, OwnName>
  log: string
}

export const DEFAULT_DNS_PORT = 10053
export const DEFAULT_DOMAIN = 'xcluster'

/** `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353`. */
export function parseUpstream(text: string): Upstream {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text)
  if (bracketed) return { host: bracketed[1], port: Number(bracketed[2] ?? 53) }
  const v4 = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(text)
  if (v4) return { host: v4[1], port: Number(v4[2] ?? 53) }
  return { host: text, port: 53 }
}

/** The upstreams when none are configured: XCLUSTER_DNS_UPSTREAMS (comma-separated), else resolv.conf's nameservers. */
export function defaultUpstreams(env: NodeJS.ProcessEnv, nameservers: string[]): Upstream[] {
  const listed = env.XCLUSTER_DNS_UPSTREAMS?.split(',').filter(Boolean)
  return (listed ?? nameservers).map(parseUpstream)
}

/**
 * The cluster's own names: vm-NNN.<domain> and vm-NNN alone with the cluster-net address (the
 * node's second net) first, then the maintenance net, IPv4 and IPv6; host.<domain> is the host
 * side of net 0. Short names are answered here so that VMs added by scaleout (not in the
 * /etc/hosts of VMs booted before them) are found by them too.
 */
export function clusterNames(nodes: Node[], ipv6Prefix: string, domain: string): Record<string, OwnName> {
  const names: Record<string, OwnName> = {}
  const v6 = (v4: string) => embedIpv4(ipv6Prefix, v4)
  names[`host.${domain}`] = { a: [`192.168.0.${HOST_ID}`], aaaa: [v6(`192.168.0.${HOST_ID}`)] }
  for (const { hostname, nics } of nodes) {
    const ordered = [...nics.slice(1, 2), nics[0]]
    const own = { a: ordered.map((nic) => nic.ipv4), aaaa: ordered.map((nic) => nic.ipv6) }
    names[`${hostname}.${domain}`] = own
    names[hostname] = own
  }
  return names
}
