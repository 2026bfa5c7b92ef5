// Runs inside a test namespace: `node dns-client.ts query|fuzz|forger|silent|flood '<json>'` (through the workspace's
// loader).
// Prints one JSON line. Sends only to the server named, on this namespace's loopback.
import { createSocket } from 'node:dgram'
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { randomBytes } from 'node:crypto'
import dnsPacket from 'dns-packet'
import { queryDns } from '@xcluster/dns-coredns'

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

/**
 * An upstream that tries to poison: to each query it first sends replies with the wrong id, with
 * another question, and from another port, each claiming 6.6.6.6, then the true answer 10.1.2.3.
 */
async function forger({ port }: { port: number }) {
  const server = createSocket('udp4')
  const stranger = createSocket('udp4')
  server.on('message', (raw, peer) => {
    const query = dnsPacket.decode(raw)
    const q = query.questions![0]
    const reply = (id: number, name: string, address: string) =>
      dnsPacket.encode({
        id,
        type: 'response',
        flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
        questions: [{ ...q, name }],
        answers: [{ name, type: 'A', ttl: 300, data: address }],
      })
    server.send(reply((query.id! + 1) % 0x10000, q.name, '6.6.6.6'), peer.port, peer.address)
    server.send(reply(query.id!, `x${q.name}`, '6.6.6.6'), peer.port, peer.address)
    stranger.send(reply(query.id!, q.name, '6.6.6.6'), peer.port, peer.address)
    setTimeout(() => server.send(reply(query.id!, q.name, '10.1.2.3'), peer.port, peer.address), 100)
  })
  await new Promise<void>((bound) => server.bind(port, '127.0.0.1', () => bound()))
  console.log(JSON.stringify({ ready: port }))
  await new Promise(() => undefined)
}

/** Opens `count` TCP connections that never send, then asks `name` over TCP; says how many the server closed. */
async function slowloris({ server, port, count, name }: { server: string; port: number; count: number; name: string }) {
  let closed = 0
  const idle = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof connect>>((open) => {
          const socket = connect({ host: server, port }, () => open(socket))
          socket.on('error', () => undefined)
          socket.on('close', () => closed++)
        }),
    ),
  )
  const answer = await queryDns({ server, port, name, tcp: true }).catch((error: Error) => ({ error: error.message }))
  // The server's closes arrive a little later than its answer: wait for them, at most 3 s.
  for (let waited = 0; closed < count - 200 && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50))
  const closedByServer = closed
  for (const socket of idle) socket.destroy()
  return { answer, closedByServer }
}

/** An upstream that reads every query and never answers. */
async function silent({ port }: { port: number }) {
  const server = createSocket('udp4')
  await new Promise<void>((bound) => server.bind(port, '127.0.0.1', () => bound()))
  console.log(JSON.stringify({ ready: port }))
  await new Promise(() => undefined)
}

/** Waits for `drain`, at most 250 ms (a server that never reads never drains). */
function drainedOrQuarterSecond(socket: ReturnType<typeof connect>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      socket.off('drain', done)
      resolve()
    }
    const timer = setTimeout(done, 250)
    socket.once('drain', done)
  })
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])

/**
 * A TCP client that sends queries for `seconds` and never reads a reply; says how many it sent
 * and the server's (`pid`) resident memory before, at its largest, and after it closed.
 */
async function flood({
  server,
  port,
  seconds,
  pid,
  name,
}: {
  server: string
  port: number
  seconds: number
  pid: number
  name: string
}) {
  const query = dnsPacket.streamEncode({
    id: 1,
    type: 'query',
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type: 'A' }],
  })
  const batch = Buffer.concat(Array.from({ length: 256 }, () => query))
  const before = rssKb(pid)
  let largest = before
  let sent = 0
  const socket = connect({ host: server, port })
  socket.pause()
  socket.on('error', () => undefined)
  await new Promise<void>((open) => socket.on('connect', () => open()))
  const end = Date.now() + seconds * 1000
  const sampler = setInterval(() => (largest = Math.max(largest, rssKb(pid))), 250)
  while (Date.now() < end && !socket.destroyed) {
    if (socket.write(batch)) sent += 256
    else await drainedOrQuarterSecond(socket)
  }
  socket.destroy()
  await new Promise((r) => setTimeout(r, 1000))
  clearInterval(sampler)
  return { sent, beforeKb: before, largestKb: Math.max(largest, rssKb(pid)), afterKb: rssKb(pid) }
}

// biome-ignore lint/suspicious/noExplicitAny: each verb reads its own JSON arguments
const verbs: Record<string, (args: any) => Promise<unknown>> = {
  fuzz,
  forger,
  slowloris,
  silent,
  flood,
  queries: ({ list }: { list: Parameters<typeof queryDns>[0][] }) =>
    Promise.all(
      list.map((query) =>
        Promise.resolve()
          .then(() => queryDns(query))
          .catch((error: Error) => ({ error: error.message })),
      ),
    ),
  query: (query) => queryDns(query).catch((error: Error) => ({ error: error.message })),
}
console.log(JSON.stringify(await verbs[verb](args)))
