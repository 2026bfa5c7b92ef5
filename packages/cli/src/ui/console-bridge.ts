import { type FSWatcher, watch } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { connect } from 'node:net'
import type { WebSocket } from 'ws'

/** What a console bridge reads and writes: the VM's console log and its console socket. */
export interface ConsoleFiles {
  console: string
  consoleLog: string
}

/** The most sent of a log at once: a long-running VM's log arrives in pieces. */
const PIECE = 1 << 20

/**
 * A VM's serial console in the page: the whole console log so far, then what it gains, as it comes (the log is what
 * qemu writes of the console, whoever is attached); what is typed goes to the console socket, which is held only
 * while it is written to. So `xcluster vm` keeps the console to itself while attached (what the page types then
 * waits until it detaches), and the page never locks the command line out.
 */
export function bridgeConsole(socket: WebSocket, files: ConsoleFiles): void {
  let sent = 0
  let reading = false
  let again = false
  let watcher: FSWatcher | undefined
  let poll: NodeJS.Timeout | undefined

  const sendNew = async () => {
    if (reading) {
      again = true
      return
    }
    reading = true
    try {
      const size = (await stat(files.consoleLog)).size
      // A new log (the VM started again): the terminal starts over.
      if (size < sent) {
        socket.send('\x1bc')
        sent = 0
      }
      const file = await open(files.consoleLog, 'r')
      try {
        while (sent < size && socket.readyState === socket.OPEN) {
          const piece = Buffer.alloc(Math.min(PIECE, size - sent))
          const { bytesRead } = await file.read(piece, 0, piece.length, sent)
          if (bytesRead === 0) break
          sent += bytesRead
          socket.send(piece.subarray(0, bytesRead))
        }
      } finally {
        await file.close()
      }
    } catch {
      // No log (the VM is down): it is looked for again once a second.
    } finally {
      reading = false
    }
    if (again) {
      again = false
      await sendNew()
    }
  }

  const follow = () => {
    try {
      watcher = watch(files.consoleLog, (change) => {
        // Removed or replaced: the new file is followed from the next look.
        if (change === 'rename') lost()
        void sendNew()
      })
      watcher.on('error', () => lost())
      clearInterval(poll)
      poll = undefined
    } catch {
      lost()
    }
  }
  // The log went (the VM was stopped) or is not there yet: looked for once a second.
  const lost = () => {
    watcher?.close()
    watcher = undefined
    poll ??= setInterval(() => {
      follow()
      if (watcher) void sendNew()
    }, 1000)
  }

  let typed: Buffer[] = []
  let writing = false
  const flush = () => {
    if (writing || typed.length === 0) return
    writing = true
    const out = Buffer.concat(typed)
    typed = []
    const connection = connect(files.console)
    const done = () => {
      writing = false
      flush()
    }
    // 'close' follows an 'error' too.
    connection.on('error', () => undefined)
    connection.once('close', done)
    connection.end(out)
  }

  socket.on('message', (data: Buffer) => {
    typed.push(Buffer.from(data))
    flush()
  })
  socket.on('close', () => {
    watcher?.close()
    clearInterval(poll)
  })
  follow()
  void sendNew()
}
