import { type FSWatcher, watch } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import type { Socket } from 'node:net'
import { connectWhenFree } from '@xcluster/core'
import type { WebSocket } from 'ws'

/** What a console bridge reads and writes: the VM's console log and its console socket. */
export interface ConsoleFiles {
  console: string
  consoleLog: string
}

/** How long the console socket is held after the last key: `xcluster vm` waits at most this long to attach. */
const TYPING_IDLE_MS = 1500
/** How long what is typed waits for a console `xcluster vm` holds, before it is dropped. */
const CONNECT_WAIT_MS = 10_000

/** The most sent of a log at once: a long-running VM's log arrives in pieces. */
const PIECE = 1 << 20

/**
 * A VM's serial console in the page: the whole console log so far, then what it gains, as it comes (the log is what
 * qemu writes of the console, whoever is attached); what is typed goes to the console socket, which is held only
 * while typing goes on (let go 1.5 s after the last key). So `xcluster vm` keeps the console to itself while
 * attached (what the page types then waits until it detaches), and the page never locks the command line out.
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

  // What is typed goes through one connection held while typing goes on and let go after TYPING_IDLE_MS without a
  // key (qemu drops what comes through connections opened and closed key by key).
  let typing: Promise<Socket | undefined> | undefined
  let idle: NodeJS.Timeout | undefined
  const letGo = () => {
    clearTimeout(idle)
    const held = typing
    typing = undefined
    void held?.then((connection) => connection?.end())
  }
  const hold = () => {
    const attempt: Promise<Socket | undefined> = connectWhenFree(files.console, Date.now() + CONNECT_WAIT_MS)
      .then((connection) => {
        connection.on('error', () => undefined)
        connection.on('close', () => {
          if (typing === attempt) typing = undefined
        })
        // The console's output is read from its log: what comes here is dropped.
        connection.resume()
        return connection
      })
      .catch(() => undefined)
    return attempt
  }
  socket.on('message', (data: Buffer) => {
    typing ??= hold()
    // In the order typed: each write waits for the same connection.
    void typing.then((connection) => connection?.write(Buffer.from(data)))
    clearTimeout(idle)
    idle = setTimeout(letGo, TYPING_IDLE_MS)
  })
  socket.on('close', () => {
    letGo()
    watcher?.close()
    clearInterval(poll)
  })
  follow()
  void sendNew()
}
