import { shellQuoted } from '../config/shell-variables.js'
import type { ClusterConfig } from '../contract/settings.js'
import { XclusterError } from '../errors.js'
import type { ClusterContext, Overlay } from '../contract/context.js'
import { HOST_ID, hostname, ipv4Address, ipv6Address } from '../node/addressing.js'
import { embedIpv4 } from '../node/ipv6.js'
import type { Node } from '../node/node.js'

const LOCALHOST = ['127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback']

/** /etc/hosts of the guests: the host side and every node of the cluster on the maintenance net. */
export function hostsFile(prefix: string, nodes: Node[]): string {
  const lines = [...LOCALHOST, `${ipv4Address(0, HOST_ID)} host`, `${ipv6Address(prefix, 0, HOST_ID)} ip6-host`]
  for (const { id } of nodes)
    lines.push(`${ipv4Address(0, id)} ${hostname(id)}`, `${ipv6Address(prefix, 0, id)} ip6-${hostname(id)}`)
  return `${lines.join('\n')}\n`
}

/** Shell variables every guest script reads from /etc/xcluster/env (through /etc/profile). */
export function guestEnvironment(config: ClusterConfig): string {
  const vars = {
    // The guest writes its IPv6 addresses as this head followed by the dotted IPv4 address.
    XCLUSTER_IPV6_HEAD: embedIpv4(config.ipv6Prefix, ''),
    XCLUSTER_NODES: config.nodes,
    XCLUSTER_ROUTERS: config.routers,
    XCLUSTER_TESTERS: config.testers,
    XCLUSTER_MTU: config.mtu,
    XCLUSTER_TELNET: config.telnet ? 'yes' : 'no',
  }
  return Object.entries(vars)
    .map(([name, value]) => `${name}='${value}'\n`)
    .join('')
}

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/

/**
 * The shell tool's /etc/xcluster_env, which existing overlay scripts read: `__nvm`, `__nrouters`,
 * `__ntesters`, `PREFIX` (so that `$PREFIX:192.168.0.1` is a guest's IPv6 address), then every
 * `xcluster_NAME` of the host's environment as `NAME` (`xcluster_PREFIX` included, which wins).
 */
export function shellToolEnvironment(config: ClusterConfig, env: NodeJS.ProcessEnv): string {
  const vars: [string, string][] = [
    ['__nvm', String(config.nodes)],
    ['__nrouters', String(config.routers)],
    ['__ntesters', String(config.testers)],
    ['PREFIX', embedIpv4(config.ipv6Prefix, '').replace(/:$/, '')],
  ]
  for (const key of Object.keys(env)
    .filter((k) => k.startsWith('xcluster_'))
    .sort()) {
    const name = key.slice('xcluster_'.length)
    if (!SHELL_NAME.test(name))
      throw new XclusterError(
        `${key}: a variable for the VMs must be xcluster_ and a shell name (letters, digits, _), at most 128` +
          ` characters`,
      )
    vars.push([name, env[key] ?? ''])
  }
  return vars.map(([name, value]) => `${name}=${shellQuoted(value)}\n`).join('')
}

/** The overlay core puts first on every cdrom: what the guests must know of their cluster. */
export function envOverlay({ config, nodes, host }: ClusterContext): Overlay {
  return {
    name: 'env',
    files: {
      'etc/xcluster/env': { content: guestEnvironment(config) },
      'etc/xcluster_env': { content: shellToolEnvironment(config, host.env) },
      'etc/hosts': { content: hostsFile(config.ipv6Prefix, nodes) },
    },
  }
}
