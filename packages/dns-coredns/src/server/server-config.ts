import { z } from '@xcluster/image/zod'
import type { DnsServerConfig } from '../settings.js'

// Read by the DNS server process, which loads nothing of core: zod and the settings' types only.
const address = z.string().regex(/^[0-9a-fA-F.:]{2,45}$/)
const addresses = z.array(address).max(64)

/** The server's settings as the service and the server read them back from the state directory. */
export const dnsServerConfigSchema: z.ZodType<DnsServerConfig> = z.strictObject({
  port: z.number().int().min(1).max(65535),
  domain: z.string().regex(/^[a-z0-9.-]{1,253}$/i),
  bind: addresses,
  upstreams: z.array(z.strictObject({ host: z.string().max(253), port: z.number().int().min(1).max(65535) })).max(16),
  names: z.record(z.string().max(253), z.strictObject({ a: addresses, aaaa: addresses })),
  log: z.string().max(4096),
})
