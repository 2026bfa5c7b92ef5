import { createConnection } from 'node:net'
import { parseJsonAs } from '@xcluster/image/read-json'
import { z } from '@xcluster/image/zod'

const qmpMessage = z
  .object({
    event: z.string().max(64).optional(),
    timestamp: z.object({ seconds: z.number(), microseconds: z.number() }).optional(),
  })
  .passthrough()

/** An event of a VM, and when qemu reported it (ms since the epoch, the host's clock). */
export interface QmpEvent {
  name: string
  at: number
}

/** A QMP line longer than this is not an event we read. */
const MAX_LINE = 1 << 16

/** The event a QMP line reports, if it is an event. */
function eventOf(line: string): QmpEvent | undefined {
  try {
    const { event, timestamp } = parseJsonAs(qmpMessage, line, 'a QMP message')
    if (event === undefined) return undefined
    return { name: event, at: timestamp ? timestamp.seconds * 1000 + timestamp.microseconds / 1000 : Date.now() }
  } catch {
    return undefined
  }
}

/**
 * Holds a VM's events socket (vm-NNN.events, the watcher's own): says `qmp_capabilities` once, then hands each
 * event (STOP, RESUME, RESET, SHUTDOWN, ...) to `onEvent` with the time qemu reported it; `onClose` when the
 * socket ends (the VM went), or could not be had. Returns what closes it.
 */
export function watchQmpEvents(
  socket: string,
  onEvent: (event: QmpEvent) => void,
  onClose: (connected: boolean) => void,
): () => void {
  const connection = createConnection(socket)
  let buffer = ''
  connection.setEncoding('utf8')
  // Whether it ever held the socket: one refused (EAGAIN: other watchers have it) is no VM gone.
  let connected = false
  connection.on('connect', () => {
    connected = true
    connection.write('{"execute":"qmp_capabilities"}\n')
  })
  connection.on('data', (chunk: string) => {
    buffer += chunk
    if (buffer.length > MAX_LINE && buffer.indexOf('\n') < 0) return connection.destroy()
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end)
      buffer = buffer.slice(end + 1)
      const event = eventOf(line)
      if (event) onEvent(event)
    }
  })
  connection.on('error', () => connection.destroy())
  connection.on('close', () => onClose(connected))
  return () => {
    connection.removeAllListeners('close')
    connection.destroy()
  }
}
