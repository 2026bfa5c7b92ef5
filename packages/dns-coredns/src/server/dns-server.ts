import { createSocket, type Socket } from 'node:dgram'
import { type Server, type Socket as TcpSocket, createServer, isIPv6 } from 'node:net'
import dnsPacket, { type Packet, type Question } from 'dns-packet'
import type { DnsServerConfig, OwnName } from '../settings.js'
import { AnswerCache, clampTtls } from './answer-cache.js'
import { forward } from './forward.js'
import { ownAnswer } from './own-answer.js'
import { QueryLog } from './query-log.js'

/**
 * Limits of the TCP side: a client that says nothing for this long is dropped; over this many at once, the oldest
 * goes.
 */
export const TCP_IDLE_MS = 10_000
export const TCP_MAX_CONNECTIONS = 200
/** Replies one TCP client may have in the making before the server stops reading its queries. */
export const TCP_MAX_PENDING = 64

/** A small DNS service: the cluster's names, then a cache, then the upstreams; UDP and TCP. */
export class DnsServer {
  private readonly cache = new AnswerCache()
  /** Upstream lookups in flight by question: the same question asked again waits for the same answer. */
  private readonly inFlight = new Map<string, Promise<Packet>>()
  private readonly log
  private readonly udp: Socket[] = []
  private readonly tcp: Server[] = []
  private readonly connections = new Set<TcpSocket>()
  /** The cluster's names in a Map: a query for `constructor` or `__proto__` is just a name. */
  private readonly names: ReadonlyMap<string, OwnName>

  constructor(private readonly config: DnsServerConfig) {
    this.log = new QueryLog(config.log)
    this.names = new Map(Object.entries(config.names))
  }

  /** The reply to one raw query, never a rejection: a failure of this server is logged and the query dropped. */
  async reply(raw: Buffer, via: string): Promise<Buffer | undefined> {
    try {
      return await this.answer(raw, via)
    } catch (error) {
      this.log.write(`${via} internal error: ${(error as Error).message}`)
      return undefined
    }
  }

  /** The reply to one raw query; undefined for a packet that is not a query (it is dropped). */
  private async answer(raw: Buffer, via: string): Promise<Buffer | undefined> {
    let query: Packet
    try {
      query = dnsPacket.decode(raw)
    } catch {
      this.log.write(`${via} malformed packet of ${raw.length} bytes dropped`)
      return undefined
    }
    if (query.type !== 'query' || !query.questions?.length) return undefined
    const q = query.questions[0]
    const own = ownAnswer(query, this.names, this.config.domain)
    if (own) {
      this.log.write(`${via} ${q.name} ${q.type} own ${own.answers?.length ?? 0}`)
      return dnsPacket.encode(own)
    }
    const key = AnswerCache.key(q)
    const cached = this.cache.get(key)
    const asReply = (answer: Packet) => dnsPacket.encode({ ...answer, id: query.id, questions: query.questions })
    if (cached) {
      this.log.write(`${via} ${q.name} ${q.type} cached`)
      return asReply(cached)
    }
    try {
      const answer = await this.lookup(key, q)
      this.log.write(`${via} ${q.name} ${q.type} forwarded`)
      return asReply(answer)
    } catch (error) {
      this.log.write(`${via} ${q.name} ${q.type} failed: ${(error as Error).message}`)
      return dnsPacket.encode({ id: query.id, type: 'response', flags: 0x0080 | 2, questions: query.questions })
    }
  }

  private lookup(key: string, question: Question): Promise<Packet> {
    const pending = this.inFlight.get(key)
    if (pending) return pending
    const lookup = forward(this.config.upstreams, question)
      .then((answer) => {
        const clamped = clampTtls(answer)
        this.cache.put(key, clamped)
        return clamped
      })
      .finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, lookup)
    return lookup
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
      // A reply that cannot be sent (the client's port gone, say) is that client's loss, not the service's.
      udp.removeAllListeners('error')
      udp.on('error', (error) => this.log.write(`udp ${address} error: ${error.message}`))
      this.udp.push(udp)
      const tcp = createServer((socket) => this.serveTcp(socket))
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject)
        tcp.listen({ port: this.config.port, host: address, ipv6Only: isIPv6(address) }, () => resolve())
      })
      this.tcp.push(tcp)
    }
  }

  /**
   * TCP: each message is preceded by its length in two bytes. An idle client is dropped, and a
   * new one beyond the cap pushes out the oldest, so idle connections cannot lock clients out.
   * Backpressure: reading stops while TCP_MAX_PENDING replies are being made or the client has not
   * taken what was written, so a client that sends and never reads holds a bounded amount of memory.
   */
  private serveTcp(socket: TcpSocket): void {
    if (this.connections.size >= TCP_MAX_CONNECTIONS) this.connections.values().next().value!.destroy()
    this.connections.add(socket)
    socket.on('close', () => this.connections.delete(socket))
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy())
    let pending = Buffer.alloc(0)
    let making = 0
    let blocked = false
    // Takes queries off `pending` while fewer than TCP_MAX_PENDING replies are in the making and the
    // client takes what is written; reading resumes only when nothing is left waiting.
    const serve = () => {
      while (
        making < TCP_MAX_PENDING &&
        !blocked &&
        pending.length >= 2 &&
        pending.length >= 2 + pending.readUInt16BE(0)
      ) {
        const raw = Buffer.from(pending.subarray(2, 2 + pending.readUInt16BE(0)))
        pending = pending.subarray(2 + raw.length)
        making++
        void this.reply(raw, `tcp ${socket.remoteAddress}`).then((out) => {
          making--
          if (!out) return socket.destroy()
          if (socket.destroyed) return
          const length = Buffer.alloc(2)
          length.writeUInt16BE(out.length)
          if (!socket.write(Buffer.concat([length, out]))) blocked = true
          serve()
        })
      }
      const whole = pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)
      if (whole || making >= TCP_MAX_PENDING || blocked) socket.pause()
      else socket.resume()
    }
    socket.on('drain', () => {
      blocked = false
      serve()
    })
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk])
      serve()
    })
  }

  close(): void {
    for (const udp of this.udp) udp.close()
    for (const tcp of this.tcp) tcp.close()
    this.log.close()
  }
}
