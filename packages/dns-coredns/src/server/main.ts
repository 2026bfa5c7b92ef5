import { readFileSync } from 'node:fs'
import type { DnsServerConfig } from '../settings.js'
import { DnsServer } from './dns-server.js'

/** The embedded DNS service as a process of its own: `xcluster-dns <config.json>`. */
const config: DnsServerConfig = JSON.parse(readFileSync(process.argv[2], 'utf8'))
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
