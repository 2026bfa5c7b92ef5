import { readFileSync } from 'node:fs'
import { parseJsonAs } from '@xcluster/image/read-json'
import { dnsServerConfigSchema } from './server-config.js'
import { DnsServer } from './dns-server.js'

/** The embedded DNS service as a process of its own: `xcluster-dns <config.json>`. */
const config = parseJsonAs(dnsServerConfigSchema, readFileSync(process.argv[2], 'utf8'), process.argv[2])
const server = new DnsServer(config)
try {
  await server.listen()
} catch (error) {
  console.error(`xcluster-dns: cannot listen on port ${config.port}: ${(error as Error).message}`)
  process.exit(1)
}
console.log(`xcluster-dns: ready on ${config.bind.join(', ')} port ${config.port}`)
const stop = () => {
  server.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
