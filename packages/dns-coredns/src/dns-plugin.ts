import { join } from 'node:path'
import type { ClusterContext, Plugin } from '@xcluster/core'
import { findCoredns } from './find-coredns.js'
import { resolverOverlays } from './guest-resolver.js'
import { runningService, startService, stopService } from './service.js'
import { DEFAULT_DNS_PORT, DEFAULT_DOMAIN, type DnsOptions, type DnsServerConfig, clusterNames, hostUpstreams, parseUpstream } from './settings.js'

/** The service's settings for a cluster: on bridges it listens on every address of the netns, else on loopback only. */
export function serverConfig(options: DnsOptions, context: ClusterContext, onBridges: boolean): DnsServerConfig {
  const domain = options.domain ?? DEFAULT_DOMAIN
  return {
    port: options.port ?? DEFAULT_DNS_PORT,
    domain,
    bind: onBridges ? ['0.0.0.0', '::'] : ['127.0.0.1', '::1'],
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
      cluster.hooks.beforeNet.tapPromise(name, async (context) => {
        const coredns = findCoredns(options.coredns, context.config.workspace, process.env)
        const service = await startService(serverConfig(options, context, onBridges()), context.stateDir, coredns)
        context.log(`DNS: ${service.kind === 'coredns' ? `coredns ${coredns}` : 'embedded server'} on port ${service.port}`)
      })
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
