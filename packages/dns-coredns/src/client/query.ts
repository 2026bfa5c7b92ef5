import { createSocket } from 'node:dgram'
import { connect, isIPv6 } from 'node:net'
import dnsPacket, { type Packet, type RecordType } from 'dns-packet'

export interface DnsQuery {
  server: string
  port: number
  name: string
  type?: RecordType
  tcp?: boolean
  timeoutMs?: number
}

export interface DnsReply {
  rcode: string
  answers: string[]
}

function summary(reply: Packet & { rcode?: string }): DnsReply {
  return {
    rcode: reply.rcode ?? 'NOERROR',
    answers: (reply.answers ?? []).map((a) => String('data' in a ? a.data : '')),
  }
}

/** One DNS query over UDP or TCP; rejects when no reply comes in time. */
export function queryDns(q: DnsQuery): Promise<DnsReply> {
  const message = dnsPacket.encode({
    id: Math.floor(Math.random() * 65535),
    type: 'query',
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: q.name, type: q.type ?? 'A', class: 'IN' }],
  })
  const timeout = q.timeoutMs ?? 3000
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(new Error(`${q.tcp ? 'tcp' : 'udp'} ${q.server}:${q.port}: ${error.message}`))
    if (q.tcp) {
      const socket = connect({ host: q.server, port: q.port })
      let pending = Buffer.alloc(0)
      socket.setTimeout(timeout, () => {
        socket.destroy()
        fail(new Error('no answer'))
      })
      socket.on('connect', () => {
        const length = Buffer.alloc(2)
        length.writeUInt16BE(message.length)
        socket.write(Buffer.concat([length, message]))
      })
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk])
        if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          socket.destroy()
          resolve(summary(dnsPacket.streamDecode(pending)))
        }
      })
      socket.on('error', fail)
      return
    }
    const socket = createSocket(isIPv6(q.server) ? 'udp6' : 'udp4')
    const timer = setTimeout(() => {
      socket.close()
      fail(new Error('no answer'))
    }, timeout)
    socket.on('message', (raw) => {
      clearTimeout(timer)
      socket.close()
      resolve(summary(dnsPacket.decode(raw)))
    })
    socket.on('error', (error) => {
      clearTimeout(timer)
      socket.close()
      fail(error)
    })
    socket.send(message, q.port, q.server)
  })
}
