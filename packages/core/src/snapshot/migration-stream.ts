import { constants } from 'node:fs'
import { open, rm } from 'node:fs/promises'
import { type Socket, createConnection, createServer } from 'node:net'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { XclusterError } from '../errors.js'
import { qmpCommand } from '../vm/qmp.js'

/*
 * qemu's migration stream goes through a unix socket that Node streams to or from the snapshot's file: no exec
 * (which qemu hands to /bin/sh) and no file name in a qemu word. The socket sits in the cluster's private state
 * directory.
 */

/** The socket a VM's migration goes through while it is saved or restored. */
const migrationSocket = (qmp: string) => qmp.replace(/\.qmp$/, '.migration')

/** Has qemu (QMP `migrate`) write the VM's memory and devices into `file`, a new file of mode 0600. */
export async function saveMemory(qmp: string, file: string): Promise<void> {
  const socket = migrationSocket(qmp)
  await rm(socket, { force: true })
  const server = createServer()
  const connected = new Promise<Socket>((done, fail) => {
    server.once('connection', done)
    server.once('error', fail)
  })
  await new Promise<void>((done, fail) => server.listen(socket, done).once('error', fail))
  try {
    await qmpCommand(qmp, 'migrate', { uri: `unix:${socket}` })
    const stream = await connected
    const out = await open(
      file,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    )
    await pipeline(stream, out.createWriteStream())
  } finally {
    server.close()
    await rm(socket, { force: true })
  }
}

/**
 * Streams `file` into a VM started with `-incoming defer` (QMP `migrate-incoming`). qemu closes its end once it has
 * read the stream's end, which on a busy host can come before this side sees its writes finish: a stream cut short
 * is no failure by itself, what qemu makes of it is (the caller waits for that). Returns how it was cut, if it was.
 */
async function streamState(qmp: string, file: string): Promise<string | undefined> {
  const socket = migrationSocket(qmp)
  await rm(socket, { force: true })
  await qmpCommand(qmp, 'migrate-incoming', { uri: `unix:${socket}` })
  try {
    const stream = createConnection(socket)
    await new Promise<void>((done, fail) => stream.once('connect', done).once('error', fail))
    const saved = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW)
    return await pipeline(saved.createReadStream(), stream).then(
      () => undefined,
      (error: Error) => error.message,
    )
  } catch (error) {
    throw new XclusterError(`restoring from ${file}: ${(error as Error).message}`)
  } finally {
    await rm(socket, { force: true })
  }
}

/** Waits until qemu's migration to a file ends; one that fails says why (`what`: the VM, the template). */
export async function migrationDone(qmp: string, what: string): Promise<void> {
  for (let k = 0; k < 1200; k++) {
    const { status, 'error-desc': why } = (await qmpCommand(qmp, 'query-migrate')) as {
      status?: string
      'error-desc'?: string
    }
    if (status === 'completed') return
    if (status === 'failed' || status === 'cancelled')
      throw new XclusterError(`${what}: saving its memory failed: ${why ?? status}`)
    await sleep(100)
  }
  throw new XclusterError(`${what}: saving its memory took more than 120 s`)
}

/** Migrations skip the RAM in a file of its own (a template's): only the devices are saved and restored. */
export async function ignoreSharedMemory(qmp: string): Promise<void> {
  await qmpCommand(qmp, 'migrate-set-capabilities', {
    capabilities: [{ capability: 'x-ignore-shared', state: true }],
  })
}

/** What a VM is brought back from, for its errors: `its saved state`, `its template's state`. */
export interface IncomingState {
  file: string
  what: string
}

/**
 * Streams `state` into a VM started with `-incoming defer`, waits until qemu has read it (paused or running), then
 * lets it run; fails early if qemu dies (`alive`), and after `timeoutSeconds` (bootTimeout).
 */
export async function runFromState(
  qmp: string,
  state: IncomingState,
  hostname: string,
  timeoutSeconds: number,
  alive: () => Promise<boolean>,
): Promise<void> {
  const cut = await streamState(qmp, state.file)
  const deadline = Date.now() + timeoutSeconds * 1000
  for (;;) {
    if (!(await alive()))
      throw new XclusterError(
        `${hostname} stopped while ${state.what} was read${cut ? ` (its stream was cut: ${cut})` : ''}`,
      )
    const { status } = ((await qmpCommand(qmp, 'query-status').catch(() => undefined)) ?? {}) as { status?: string }
    if (status === 'paused' || status === 'postmigrate' || status === 'running') break
    if (Date.now() > deadline)
      throw new XclusterError(
        `${hostname}: ${state.what} was not read within ${timeoutSeconds} s (bootTimeout)` +
          `${cut ? `; its stream was cut: ${cut}` : ''}`,
      )
    await sleep(20)
  }
  await qmpCommand(qmp, 'cont')
}
