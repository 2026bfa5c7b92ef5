import type { IncomingMessage, ServerResponse } from 'node:http'
import { EventRing, type LabEvent } from './event-ring.js'

/** How many events a client may be behind and still get each one it missed on reconnecting. */
const RING_SIZE = 1000
/** A comment now and then keeps a stream open through proxies and tells a dead client from a quiet one. */
const KEEPALIVE_MS = 30_000

/** An event as the stream sends it; one with no id is kept nowhere (a client that comes back cannot ask for it). */
const frame = ({ id, kind, data }: Omit<LabEvent, 'id'> & { id?: string }) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`

/**
 * The lab's events as server-sent events (`GET /events`): each change as it happens, with its id; a client that comes
 * back with `Last-Event-ID` gets what it missed, or a `reset` with the whole state when it is too far behind.
 */
export class EventStream {
  readonly ring = new EventRing(RING_SIZE)
  private readonly clients = new Set<ServerResponse>()
  private readonly keepalive: NodeJS.Timeout

  constructor(private readonly wholeState: () => unknown) {
    this.keepalive = setInterval(() => {
      for (const client of this.clients) client.write(':\n\n')
    }, KEEPALIVE_MS)
  }

  publish(kind: string, data: unknown): LabEvent {
    const event = this.ring.push(kind, data)
    for (const client of this.clients) client.write(frame(event))
    return event
  }

  /** An event for those listening now, kept nowhere and with no id (the NICs' rates, every second). */
  broadcast(kind: string, data: unknown): void {
    const text = frame({ kind, data })
    for (const client of this.clients) client.write(text)
  }

  /** How many clients listen. */
  listening(): number {
    return this.clients.size
  }

  serve(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    })
    const last = request.headers['last-event-id']
    const missed = typeof last === 'string' ? this.ring.since(last) : undefined
    if (missed) for (const event of missed) response.write(frame(event))
    else response.write(frame({ id: this.ring.lastId(), kind: 'reset', data: this.wholeState() }))
    this.clients.add(response)
    request.on('close', () => this.clients.delete(response))
  }

  close(): void {
    clearInterval(this.keepalive)
    for (const client of this.clients) client.end()
    this.clients.clear()
  }
}
