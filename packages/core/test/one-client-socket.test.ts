import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { type ResultPromise, execa } from 'execa'
import { mkdtemp, rm } from 'node:fs/promises'
import { type Socket, createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectWhenFree } from '../src/vm/one-client-socket.js'

let dir: string
let socket: string
let server: ResultPromise

/**
 * A socket like qemu's while a client holds it: it listens with little room for waiting connections and accepts none
 * for a second (the process that listens is busy), so once that room is taken a connection is refused with EAGAIN
 * until it accepts them.
 */
async function busySocket(): Promise<void> {
  const listen =
    "require('net').createServer().listen({ path: process.argv[1], backlog: 1 }, () => {" +
    // Said synchronously: a pipe's console.log would wait for the event loop this process then blocks.
    " require('fs').writeSync(1, 'ready\\n'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000) })"
  server = execa('node', ['-e', listen, socket], { reject: false })
  await new Promise<void>((ready) => server.stdout?.once('data', () => ready()))
}

/** Connects until the socket's waiting room is full; returns the connections that wait. */
async function fillWaitingRoom(): Promise<Socket[]> {
  const waiting: Socket[] = []
  for (;;) {
    // Not `instanceof Error`: an error of Node's own is of another realm than the test's.
    const next = await connected(socket).then(
      (client) => ({ client, code: undefined }),
      (error: NodeJS.ErrnoException) => ({ client: undefined, code: error.code }),
    )
    if (next.client === undefined) {
      expect(next.code).toBe('EAGAIN')
      return waiting
    }
    waiting.push(next.client)
  }
}

const connected = (path: string) =>
  new Promise<Socket>((done, fail) => {
    const client = createConnection(path)
    client.once('connect', () => done(client))
    client.once('error', fail)
  })

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xcluster-one-client-'))
  socket = join(dir, 'vm-001.qmp')
  await busySocket()
})

afterEach(async () => {
  server.kill('SIGKILL')
  await server
  await rm(dir, { recursive: true, force: true })
})

describe('a socket that serves one client at a time', () => {
  test('a client waits its turn while the waiting place is taken, and connects once it is free', async () => {
    const waiting = await fillWaitingRoom()
    const started = Date.now()
    const next = await connectWhenFree(socket, Date.now() + 5000)
    // It waited for the socket to take the others (a second after it began to listen).
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    for (const client of [...waiting, next]) client.destroy()
  })

  test('it gives up at its deadline, saying why', async () => {
    const waiting = await fillWaitingRoom()
    try {
      await expect(connectWhenFree(socket, Date.now() + 200)).rejects.toMatchObject({ code: 'EAGAIN' })
    } finally {
      for (const client of waiting) client.destroy()
    }
  })

  test('a socket that is not there fails at once', async () => {
    await expect(connectWhenFree(join(dir, 'gone.qmp'), Date.now() + 5000)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
