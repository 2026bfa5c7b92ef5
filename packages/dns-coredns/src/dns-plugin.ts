import { join } from 'node:path'
import { type ClusterContext, HOST_ID, type Plugin, ipv4Address, ipv6Address } from '@xcluster/core'
import { findCoredns } from './find-coredns.js'
import { resolverOverlays } from './guest-resolver.js'
import { runningService, startService, stopService } from './service.js'
import { DEFAULT_DNS_PORT, DEFAULT_DOMAIN, type DnsOptions, type DnsServerConfig, clusterNames, hostUpstreams, parseUpstream } from './settings.js'

/**
 * The service's settings for a cluster: on loopback, and on bridges also on the host side of
 * net 0 (192.168.0.250 on xcbr0), never on the netns's outer side.
 */
export function serverConfig(options: DnsOptions, context: ClusterContext, onBridges: boolean): DnsServerConfig {
  const domain = options.domain ?? DEFAULT_DOMAIN
  return {
    port: options.port ?? DEFAULT_DNS_PORT,
    domain,
    bind: ['127.0.0.1', '::1', ...(onBridges ? [ipv4Address(0, HOST_ID), ipv6Address(context.config.ipv6Prefix, 0, HOST_ID)] : [])],
    upstreams: (options.upstreams ?? process.env.XCLUSTER_DNS_UPSTREAMS?.split(',').filter(Boolean))?.map(parseUpstream) ?? hostUpstreams(),
    names: clusterNames(context.config, domain),
    log: join(context.stateDir, 'dns.log'),
  }
}

/**
 * DNS for the cluster: a service on the host's side of net 0 (port 10053) that answers the
 * cluster's names and forwards the rest, and a local resolver in every VM that forwards to it.
 */
export default function dns(options: DnsOptions = {}): Plugin {
  const name = '@xcluster/dns-coredns'
  return {
    name,
    coreRange: '^0.1.0',
    apply(cluster) {
      const onBridges = () => cluster.plugins.some((plugin) => plugin.netBackend === 'bridge')
      // Started before the VMs boot; checked again after every start, which restarts it if it died.
      const ensureService = async (context: ClusterContext) => {
        const coredns = findCoredns(options.coredns, context.config.workspace, process.env)
        const service = await startService(serverConfig(options, context, onBridges()), context.stateDir, coredns)
        if (service) context.log(`DNS: ${service.kind === 'coredns' ? `coredns ${coredns}` : 'embedded server'} on port ${service.port}`)
      }
      cluster.hooks.beforeNet.tapPromise(name, ensureService)
      cluster.hooks.afterStart.tapPromise(name, ensureService)
      cluster.hooks.overlays.tapPromise(name, async (overlays, context) => [
        ...overlays,
        ...(await resolverOverlays(context.config.workspace, options.port ?? DEFAULT_DNS_PORT)),
      ])
      cluster.hooks.afterStop.tapPromise(name, async (context) => stopService(context.stateDir))
      cluster.hooks.report.tapPromise(name, async (lines, context) => {
        const service = await runningService(context.stateDir)
        const what = service ? `${service.kind === 'coredns' ? 'coredns' : 'embedded server'} (pid ${service.pid}) on ${service.bind.join(', ')} port ${service.port}` : 'not running'
        return [...lines, `dns: ${what}`]
      })
    },
  }
}
