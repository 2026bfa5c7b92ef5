import type { Socket } from 'node:net'

/** How often a socket another client holds is tried again. */
const RETRY_MS = 20

/**
 * Connects to a unix socket of qemu's that serves one client at a time (QMP, the console): while another client holds
 * it and its one waiting place is taken (EAGAIN), tries again every 20 ms until `deadline` (ms since the epoch). So
 * two commands at once (status during a start, `xcluster vm` while the page types) take turns instead of failing.
 */
export async function connectWhenFree(path: string, deadline: number): Promise<Socket> {
  // Loaded here: net costs every command's start-up 8 ms.
  const { createConnection } = await import('node:net')
  return new Promise((done, fail) => {
    const attempt = () => {
      const socket = createConnection(path)
      socket.once('connect', () => {
        socket.removeAllListeners('error')
        done(socket)
      })
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.destroy()
        if (error.code === 'EAGAIN' && Date.now() < deadline) setTimeout(attempt, RETRY_MS)
        else fail(error)
      })
    }
    attempt()
  })
}
