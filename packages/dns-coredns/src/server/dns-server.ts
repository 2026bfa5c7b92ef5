import { createSocket, type Socket } from 'node:dgram'
import { createWriteStream } from 'node:fs'
import { type Server, type Socket as TcpSocket, createServer, isIPv6 } from 'node:net'
import dnsPacket, { type Packet } from 'dns-packet'
import type { DnsServerConfig } from '../settings.js'
import { AnswerCache } from './answer-cache.js'
import { forward } from './forward.js'
import { ownAnswer } from './own-answer.js'

/** A small DNS service: the cluster's names, then a cache, then the upstreams; UDP and TCP. */
export class DnsServer {
  private readonly cache = new AnswerCache()
  private readonly log
  private readonly udp: Socket[] = []
  private readonly tcp: Server[] = []

  constructor(private readonly config: DnsServerConfig) {
    this.log = createWriteStream(config.log, { flags: 'a' })
  }

  /** The reply to one raw query; undefined for a packet that is not a query (it is dropped). */
  async reply(raw: Buffer, via: string): Promise<Buffer | undefined> {
    let query: Packet
    try {
      query = dnsPacket.decode(raw)
    } catch {
      this.log.write(`${new Date().toISOString()} ${via} malformed packet of ${raw.length} bytes dropped\n`)
      return undefined
    }
    if (query.type !== 'query' || !query.questions?.length) return undefined
    const q = query.questions[0]
    const own = ownAnswer(query, this.config.names, this.config.domain)
    if (own) {
      this.log.write(`${new Date().toISOString()} ${via} ${q.name} ${q.type} own ${own.answers?.length ?? 0}\n`)
      return dnsPacket.encode(own)
    }
    const key = AnswerCache.key(query)!
    const cached = this.cache.get(key)
    if (cached) {
      this.log.write(`${new Date().toISOString()} ${via} ${q.name} ${q.type} cached\n`)
      return withId(cached, query.id ?? 0)
    }
    try {
      const answer = await forward(this.config.upstreams, raw)
      this.cache.put(key, dnsPacket.decode(answer), answer)
      this.log.write(`${new Date().toISOString()} ${via} ${q.name} ${q.type} forwarded\n`)
      return answer
    } catch (error) {
      this.log.write(`${new Date().toISOString()} ${via} ${q.name} ${q.type} failed: ${(error as Error).message}\n`)
      return dnsPacket.encode({ id: query.id, type: 'response', flags: 0x0080 | 2, questions: query.questions })
    }
  }

  async listen(): Promise<void> {
    for (const address of this.config.bind) {
      const udp = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', ipv6Only: isIPv6(address) })
      udp.on('message', (raw, peer) => {
        void this.reply(raw, `udp ${peer.address}`).then((out) => out && udp.send(out, peer.port, peer.address))
      })
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject)
        udp.bind(this.config.port, address, () => resolve())
      })
      this.udp.push(udp)
      const tcp = createServer((socket) => this.serveTcp(socket))
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject)
        tcp.listen({ port: this.config.port, host: address, ipv6Only: isIPv6(address) }, () => resolve())
      })
      this.tcp.push(tcp)
    }
  }

  /** TCP: each message is preceded by its length in two bytes. */
  private serveTcp(socket: TcpSocket): void {
    let pending = Buffer.alloc(0)
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk])
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const raw = pending.subarray(2, 2 + pending.readUInt16BE(0))
        pending = pending.subarray(2 + raw.length)
        void this.reply(Buffer.from(raw), `tcp ${socket.remoteAddress}`).then((out) => {
          if (!out) return socket.destroy()
          const length = Buffer.alloc(2)
          length.writeUInt16BE(out.length)
          socket.write(Buffer.concat([length, out]))
        })
      }
    })
  }

  close(): void {
    for (const udp of this.udp) udp.close()
    for (const tcp of this.tcp) tcp.close()
    this.log.end()
  }
}

function withId(response: Buffer, id: number): Buffer {
  const copy = Buffer.from(response)
  copy.writeUInt16BE(id, 0)
  return copy
}
