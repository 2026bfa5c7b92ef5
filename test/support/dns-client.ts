// Runs inside a test namespace: `node --import tsx dns-client.ts query '<json>'` or `fuzz '<json>'`.
// Prints one JSON line. Sends only to the server named, on this namespace's loopback.
import { createSocket } from 'node:dgram'
import { connect } from 'node:net'
import { randomBytes } from 'node:crypto'
import dnsPacket from 'dns-packet'
import { queryDns } from '../../packages/dns-coredns/src/index.js'

const [verb, json] = process.argv.slice(2)
const args = JSON.parse(json)

async function fuzz({ server, port, count }: { server: string; port: number; count: number }) {
  const valid = dnsPacket.encode({ id: 1, type: 'query', questions: [{ name: 'host.xcluster', type: 'A' }] })
  const udp = createSocket('udp4')
  for (let k = 0; k < count; k++) {
    const packet = k % 2 === 0 ? randomBytes(1 + (k % 300)) : valid.subarray(0, k % valid.length)
    await new Promise<void>((done) => udp.send(packet, port, server, () => done()))
  }
  udp.close()
  for (let k = 0; k < 20; k++) {
    await new Promise<void>((done) => {
      const socket = connect({ host: server, port }, () => socket.end(randomBytes(1 + k * 7)))
      socket.on('error', () => done())
      socket.on('close', () => done())
    })
  }
  return { sent: count }
}

const result = verb === 'fuzz' ? await fuzz(args) : await queryDns(args).catch((error: Error) => ({ error: error.message }))
console.log(JSON.stringify(result))
