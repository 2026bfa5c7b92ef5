import type { Socket } from 'node:net'
import { XclusterError } from '../errors.js'
import { connectWhenFree } from './one-client-socket.js'

const QMP_TIMEOUT_MS = 5000
/** A QMP reply is a line of JSON; a longer one is not what we asked for. */
const MAX_REPLY = 1 << 20

/**
 * Runs one QMP command on a VM's QMP socket (greeting, qmp_capabilities, the command) and returns
 * its `return` value; events between are skipped. The socket serves one client at a time: while
 * another holds it, this one waits its turn. An `error` reply, a closed socket or no answer within
 * 5 s in all is an XclusterError naming the command.
 */
export async function qmpCommand(socket: string, execute: string, args?: Record<string, unknown>): Promise<unknown> {
  const deadline = Date.now() + QMP_TIMEOUT_MS
  const connection = await connectWhenFree(socket, deadline).catch((error: Error) => {
    throw new XclusterError(`QMP ${execute} on ${socket}: ${error.message}`)
  })
  return exchange(connection, socket, execute, args, deadline)
}

function exchange(
  connection: Socket,
  socket: string,
  execute: string,
  args: Record<string, unknown> | undefined,
  deadline: number,
): Promise<unknown> {
  return new Promise((done, fail) => {
    const failWith = (why: string) => {
      clearTimeout(timer)
      connection.destroy()
      fail(new XclusterError(`QMP ${execute} on ${socket}: ${why}`))
    }
    const timer = setTimeout(
      () => failWith(`no answer in ${QMP_TIMEOUT_MS / 1000} s`),
      Math.max(0, deadline - Date.now()),
    )
    // What comes next: the greeting, then one `return` per line sent.
    const steps = [
      JSON.stringify({ execute: 'qmp_capabilities' }),
      JSON.stringify({ execute, ...(args ? { arguments: args } : {}) }),
    ]
    let buffer = ''
    let greeted = false
    connection.setEncoding('utf8')
    connection.on('error', (error) => failWith(error.message))
    connection.on('close', () => failWith('the socket closed before the answer'))
    connection.on('data', (chunk: string) => {
      buffer += chunk
      if (buffer.length > MAX_REPLY) return failWith('the answer is too long')
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 1)
        let message: { QMP?: unknown; return?: unknown; error?: { desc?: string } }
        try {
          message = JSON.parse(line)
        } catch {
          return failWith(`not JSON: ${line.slice(0, 80)}`)
        }
        if (message.error) return failWith(message.error.desc ?? 'error')
        const answered = greeted ? message.return !== undefined : message.QMP !== undefined
        if (!answered) continue // an event
        greeted = true
        const next = steps.shift()
        if (next !== undefined) {
          connection.write(`${next}\n`)
          continue
        }
        clearTimeout(timer)
        connection.removeAllListeners('close')
        connection.end()
        return done(message.return)
      }
    })
  })
}
