import { createSocket } from 'node:dgram'
import { isIPv6 } from 'node:net'
import type { Upstream } from '../settings.js'

const TIMEOUT_MS = 2000

/** Sends a query to one upstream over UDP and resolves with its reply, or rejects on timeout. */
function ask(upstream: Upstream, query: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(upstream.host) ? 'udp6' : 'udp4')
    const timer = setTimeout(() => done(new Error(`no answer from ${upstream.host}:${upstream.port}`)), TIMEOUT_MS)
    const done = (error?: Error, reply?: Buffer) => {
      clearTimeout(timer)
      socket.close()
      if (error) reject(error)
      else resolve(reply!)
    }
    socket.on('message', (reply) => done(undefined, reply))
    socket.on('error', (error) => done(error))
    socket.send(query, upstream.port, upstream.host)
  })
}

/** The first upstream that answers wins; they are tried in order. */
export async function forward(upstreams: Upstream[], query: Buffer): Promise<Buffer> {
  let last: unknown = new Error('no upstream servers are configured')
  for (const upstream of upstreams) {
    try {
      return await ask(upstream, query)
    } catch (error) {
      last = error
    }
  }
  throw last
}
