import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { type ClusterContext, HOST_ID, type Plugin, ipv4Address, ipv6Address, parseAs, z } from '@xcluster/core'
import { trustedCoredns } from './find-coredns.js'
import { resolverOverlay } from './guest-resolver.js'
import { launchService, runningService, serviceAnswers, serviceConfigOf, stopService } from './service.js'
import {
  DEFAULT_DNS_PORT,
  DEFAULT_DOMAIN,
  type DnsOptions,
  type DnsServerConfig,
  clusterNames,
  defaultUpstreams,
  parseUpstream,
} from './settings.js'

const UPSTREAM = /^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-fA-F:.]{2,45}\](:\d{1,5})?|[0-9a-fA-F:.]{2,45})$/
const dnsOptionsSchema = z.strictObject({
  port: z.number().int().min(1).max(65535).optional(),
  domain: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,62})(\.[a-z0-9]([a-z0-9-]{0,62}))*$/i, 'a domain name such as xcluster or lab.test')
    .optional(),
  upstreams: z.array(z.string().regex(UPSTREAM, 'addr, addr:port or [v6]:port')).max(16).optional(),
  coredns: z
    .string()
    .regex(/^\/[\w./+-]{1,1023}$/, 'an absolute path of a coredns program')
    .optional(),
})

/**
 * Whether this namespace holds the host side of net 0 (a bridge backend's xcbr0): then the VMs reach the service
 * there.
 */
function hasHostSideAddress(): boolean {
  const address = ipv4Address(0, HOST_ID)
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((a) => a.address === address))
}

/**
 * The service's settings for a cluster: every node of it by name, on loopback, and where the
 * host side of net 0 is in this namespace (bridges) also on 192.168.0.250, never on the netns's
 * outer side.
 */
export function serverConfig(options: DnsOptions, context: ClusterContext, onHostSide: boolean): DnsServerConfig {
  const domain = options.domain ?? DEFAULT_DOMAIN
  return {
    port: options.port ?? DEFAULT_DNS_PORT,
    domain,
    bind: [
      '127.0.0.1',
      '::1',
      ...(onHostSide ? [ipv4Address(0, HOST_ID), ipv6Address(context.config.ipv6Prefix, 0, HOST_ID)] : []),
    ],
    upstreams: options.upstreams?.map(parseUpstream) ?? defaultUpstreams(context.host.env, context.host.nameservers()),
    names: clusterNames(context.nodes, context.config.ipv6Prefix, domain),
    log: join(context.stateDir, 'dns.log'),
  }
}

/**
 * DNS for the cluster: a service on the host's side of net 0 (port 10053) that answers the
 * cluster's names and forwards the rest, and a local resolver in every VM that forwards to it.
 */
export default function dns(given: DnsOptions = {}): Plugin {
  const name = '@xcluster/dns-coredns'
  // Checked when the plugin is made: a port or upstream the service could not use is refused before anything starts.
  const options = parseAs(dnsOptionsSchema, given ?? {}, `${name}: options`)
  return {
    name,
    coreRange: '^0.1.0',
    provides: ['dns'],
    apply(cluster) {
      // Launched before the VMs boot; after every start or scaleout it is launched again when it died
      // or when the cluster's names changed (a VM added). Returns the wait until it answers.
      const ensureService = async (context: ClusterContext): Promise<() => Promise<void>> => {
        const wanted = serverConfig(options, context, hasHostSideAddress())
        const running = await runningService(context.stateDir)
        if (running && JSON.stringify(await serviceConfigOf(context.stateDir)) === JSON.stringify(wanted))
          return async () => {}
        if (running) await stopService(context.stateDir)
        const coredns = await trustedCoredns(options.coredns, context.config.workspace, context.host.env)
        const service = await launchService(context.host, wanted, context.stateDir, coredns)
        return async () => {
          await serviceAnswers(service, wanted, context.stateDir)
          context.log(
            `DNS: ${service.kind === 'coredns' ? `coredns ${coredns}` : 'embedded server'} on port ${service.port}`,
          )
        }
      }
      // Launched after the backends' taps (the host side of net 0, xcbr0, exists by then, so the
      // service listens there from the start), and not waited for: the VMs boot meanwhile (0.5 s of
      // a start from the sources) and ask only once they are up. afterStart waits for it; a failed
      // start lets it settle before the clean-up stops it.
      let answering: Promise<void> | undefined
      const settled = async () => {
        const pending = answering
        answering = undefined
        await pending
      }
      cluster.hooks.beforeNet.tapPromise({ name, stage: 100 }, async (context) => {
        answering = (await ensureService(context))()
        answering.catch(() => undefined)
      })
      cluster.hooks.afterStart.tapPromise(name, async (context) => {
        await settled()
        await (await ensureService(context))()
      })
      cluster.hooks.overlays.tapPromise(name, async (overlays) => [
        ...overlays,
        resolverOverlay(options.port ?? DEFAULT_DNS_PORT),
      ])
      cluster.hooks.afterStop.tapPromise(name, async (context) => {
        await settled().catch(() => undefined)
        await stopService(context.stateDir)
      })
      cluster.hooks.report.tapPromise(name, async (lines, context) => {
        const service = await runningService(context.stateDir)
        const clusterRuns = context.nodes.length > 0
        // No cluster, no service: nothing to say (as when status finds no state directory and loads no plugin).
        if (!service && !clusterRuns) return lines
        if (!service) {
          return [
            ...lines,
            {
              text: 'dns: not running',
              problem: 'the DNS service of the cluster is not running: `xcluster start --no-restart` starts it again',
            },
          ]
        }
        const text =
          `dns: ${service.kind === 'coredns' ? 'coredns' : 'embedded server'} (pid ${service.pid}) on` +
          ` ${service.bind.join(', ')} port ${service.port}`
        // What the server was started with (the file it reads), not what dns.json claims.
        const listening = (await serviceConfigOf(context.stateDir))?.bind ?? []
        const missing = serverConfig(options, context, hasHostSideAddress()).bind.filter(
          (address) => !listening.includes(address),
        )
        const problem =
          clusterRuns && missing.length > 0
            ? `the DNS service does not listen on ${missing.join(', ')}, where the VMs ask: \`xcluster start` +
              ` --no-restart\` restarts it`
            : undefined
        return [...lines, { text, problem }]
      })
    },
  }
}
