import { createConnection } from 'node:net'
import { parseJsonAs } from '@xcluster/image/read-json'
import { z } from '@xcluster/image/zod'

const qmpMessage = z.object({ event: z.string().max(64).optional() }).passthrough()

/** A QMP line longer than this is not an event we read. */
const MAX_LINE = 1 << 16

/** The event a QMP line reports, if it is an event. */
function eventName(line: string): string | undefined {
  try {
    return parseJsonAs(qmpMessage, line, 'a QMP message').event
  } catch {
    return undefined
  }
}

/**
 * Holds a VM's events socket (vm-NNN.events, the watcher's own): says `qmp_capabilities` once, then hands each
 * event's name (STOP, RESUME, RESET, SHUTDOWN, ...) to `onEvent`; `onClose` when the socket ends (the VM went, or
 * another watcher holds it). Returns what closes it.
 */
export function watchQmpEvents(socket: string, onEvent: (event: string) => void, onClose: () => void): () => void {
  const connection = createConnection(socket)
  let buffer = ''
  connection.setEncoding('utf8')
  connection.on('connect', () => connection.write('{"execute":"qmp_capabilities"}\n'))
  connection.on('data', (chunk: string) => {
    buffer += chunk
    if (buffer.length > MAX_LINE && buffer.indexOf('\n') < 0) return connection.destroy()
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      const line = buffer.slice(0, end)
      buffer = buffer.slice(end + 1)
      const event = eventName(line)
      if (event) onEvent(event)
    }
  })
  connection.on('error', () => connection.destroy())
  connection.on('close', onClose)
  return () => {
    connection.removeAllListeners('close')
    connection.destroy()
  }
}
