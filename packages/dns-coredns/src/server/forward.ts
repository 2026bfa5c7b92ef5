import { randomInt } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import dnsPacket, { type Packet, type Question } from 'dns-packet'
import type { Upstream } from '../settings.js'

const TIMEOUT_MS = 2000

const sameQuestion = (a: Question | undefined, b: Question | undefined) =>
  !!a && !!b && a.name.toLowerCase() === b.name.toLowerCase() && a.type === b.type && a.class === b.class

/** Whether `raw` is the reply to `query`: same id, a response, the same question. */
function answers(raw: Buffer, query: Packet): Packet | undefined {
  try {
    const reply = dnsPacket.decode(raw)
    return reply.id === query.id &&
      reply.type === 'response' &&
      sameQuestion(reply.questions?.[0], query.questions?.[0])
      ? reply
      : undefined
  } catch {
    return undefined
  }
}

/**
 * Asks one upstream over UDP, from a socket connected to it (the kernel drops datagrams from
 * anyone else) with a random source port and a fresh random id; a datagram that is not the
 * reply to this question is ignored. Rejects on timeout.
 */
function ask(upstream: Upstream, question: Question): Promise<Packet> {
  const query: Packet = {
    id: randomInt(0x10000),
    type: 'query',
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [question],
  }
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(upstream.host) ? 'udp6' : 'udp4')
    let settled = false
    // Settles once: a connect error, an ICMP error on send, a reply and the timer may all come.
    const done = (error?: Error, reply?: Packet) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.close()
      if (error) reject(error)
      else resolve(reply!)
    }
    const timer = setTimeout(() => done(new Error(`no answer from ${upstream.host}:${upstream.port}`)), TIMEOUT_MS)
    socket.on('message', (raw) => {
      const reply = answers(raw, query)
      if (reply) done(undefined, reply)
    })
    socket.on('error', (error) => done(error))
    // A failed connect (no route) calls back with its error and emits none.
    socket.connect(upstream.port, upstream.host, (error?: Error) => {
      if (error) done(error)
      else if (!settled) socket.send(dnsPacket.encode(query), (sendError) => sendError && done(sendError))
    })
  })
}

/** The first upstream that answers wins; they are tried in order. */
export async function forward(upstreams: Upstream[], question: Question): Promise<Packet> {
  let last: unknown = new Error('no upstream servers are configured')
  for (const upstream of upstreams) {
    try {
      return await ask(upstream, question)
    } catch (error) {
      last = error
    }
  }
  throw last
}
