import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { Duplex } from 'node:stream'
import { join } from 'node:path'
import { configOf, ensureStateDir, removeStateDirIfEmpty, vmFiles } from '@xcluster/core'
import { type Operation, type StreamInput, XclusterError, messageOf } from '@xcluster/core/adapter'
import { parseAs } from '@xcluster/image/read-json'
import { z } from '@xcluster/image/zod'
import { WebSocketServer } from 'ws'
import { callOperation, servedOperations } from '../served/operation-call.js'
import { checkRequest, cookieName, newToken } from './access.js'
import { bridgeCapture, captureAsk } from './capture-lines.js'
import { ClusterWatch } from './cluster-watch.js'
import { bridgeConsole } from './console-bridge.js'
import { EventStream } from './event-stream.js'
import { callFromPage, jsonBody } from './lab-calls.js'
import { NicRates } from './nic-rates.js'
import { openApiDocument } from './openapi.js'
import { pageFiles } from './page-files.js'
import { tokenFile, writeUiAddress } from './ui-token.js'

export interface UiOptions {
  port: number
  /** The directory of the page's own files (index.html, app.js, style.css). */
  pageDir: string
  version: string
}

export interface UiServer {
  url: string
  port: number
  close(): Promise<void>
}

/** What every answer carries: the page is framed nowhere, its URL (with the token) is sent nowhere. */
const HEADERS = {
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
}
const PCAP = /^vm-\d{3}-[A-Za-z0-9_.@-]{1,15}-\d{1,15}\.pcap$/

function answer(response: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? `${JSON.stringify(body)}\n` : String(body)
  response.writeHead(status, { ...HEADERS, 'content-type': type })
  response.end(text)
}

const facts = (request: IncomingMessage) => ({
  host: request.headers.host,
  origin: request.headers.origin,
  url: request.url ?? '/',
  authorization: request.headers.authorization,
  cookie: request.headers.cookie,
})

/**
 * Serves the running cluster to a browser on 127.0.0.1:PORT: the page, the cluster's operations as JSON endpoints
 * (`POST /api/NAME`, described by `/api/openapi.json`), its state (`/api/state`) and events (`/events`), and its
 * consoles and captures over WebSockets. Every request must come from a loopback name and carry the token.
 */
export async function startUi(base: StreamInput, options: UiOptions): Promise<UiServer> {
  const { stateDir } = (await configOf(base)).config
  await ensureStateDir(stateDir)
  const token = newToken()
  const operations = await servedOperations(base)
  const named = new Map(operations.map((operation) => [operation.name, operation]))
  const operation = (name: string): Operation => {
    const found = named.get(name)
    if (!found) throw new Error(`no operation ${name}`)
    return found
  }
  const files = pageFiles(options.pageDir)
  // The server's own files until it ends (the pcaps of the page's captures, its fault timelines): private, new.
  const scratch = await mkdtemp(join(tmpdir(), 'xcluster-ui-server-'))
  const events = new EventStream(() => watch.state)
  const watch = new ClusterWatch(base, stateDir, (change) => events.publish(change.kind, change.data))
  let calls = 0
  let port = options.port

  const call = async (name: string, body: unknown) => {
    calls += 1
    try {
      return await callFromPage(operation(name), body, base, (kind, data) => events.publish(kind, data), calls)
    } finally {
      watch.refreshSoon()
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1')
    const method = request.method ?? 'GET'
    const file = files.get(pathname)
    if (method === 'GET' && file) {
      const cookie = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`
      response.writeHead(200, {
        ...HEADERS,
        'content-type': file.type,
        ...(pathname === '/' ? { 'set-cookie': cookie } : {}),
      })
      return void response.end(await readFile(file.path))
    }
    if (method === 'GET' && pathname === '/events') return events.serve(request, response)
    if (method === 'GET' && pathname === '/api/state') return answer(response, 200, watch.state)
    if (method === 'GET' && pathname === '/api/openapi.json')
      return answer(response, 200, openApiDocument(operations, options.version))
    if (method === 'GET' && pathname === '/api/picture') {
      const drawn = await callOperation(operation('status'), ['--svg'], base)
      if (drawn.exit !== 0) return answer(response, 500, { error: drawn.error ?? drawn.output })
      const { source } = parseAs(z.object({ source: z.string() }), drawn.result, 'the drawing')
      return answer(response, 200, source, 'image/svg+xml')
    }
    if (method === 'GET' && pathname.startsWith('/captures/')) {
      const name = pathname.slice('/captures/'.length)
      if (!PCAP.test(name)) return answer(response, 404, { error: 'no such capture' })
      response.writeHead(200, {
        ...HEADERS,
        'content-type': 'application/vnd.tcpdump.pcap',
        'content-disposition': `attachment; filename="${name}"`,
      })
      return void createReadStream(join(scratch, name))
        .on('error', () => response.end())
        .pipe(response)
    }
    if (method === 'POST') {
      if (!/^application\/json\b/.test(request.headers['content-type'] ?? ''))
        return answer(response, 415, { error: 'send application/json' })
      const body = await jsonBody(request)
      if (pathname === '/lab/faults') {
        // The page's timeline, as the file `faults run` reads.
        const timeline = join(scratch, `timeline-${calls + 1}.json`)
        await writeFile(timeline, JSON.stringify((body as { steps?: unknown }).steps ?? []), { mode: 0o600 })
        return answer(response, 200, await call('faults', { args: ['run', timeline] }))
      }
      const name = /^\/api\/([a-z][a-z0-9-]{0,30})$/.exec(pathname)?.[1]
      if (name && named.has(name)) return answer(response, 200, await call(name, body))
    }
    answer(response, 404, { error: `no ${method} ${pathname}` })
  }

  // What was refused, and why, on the server's stderr (the path without its query: a token is no one's to see).
  const refused = (request: IncomingMessage, status: number, why: string) => {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1')
    base.stderr(`xcluster: refused ${request.method} ${pathname.slice(0, 100)} (${status}): ${why.slice(0, 200)}\n`)
  }
  const server = createServer((request, response) => {
    const verdict = checkRequest(facts(request), token, port)
    if (!verdict.allowed) {
      refused(request, verdict.status, verdict.why)
      return answer(response, verdict.status, `${verdict.status}\n`, 'text/plain')
    }
    route(request, response).catch((error) => {
      if (!response.headersSent) answer(response, 400, { error: messageOf(error) })
      else response.end()
    })
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkRequest(facts(request), token, port)
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const consoleOf = /^\/console\/(\d{1,3})$/.exec(url.pathname)?.[1]
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
    }
    if (!verdict.allowed) {
      refused(request, verdict.status, verdict.why)
      return refuse(verdict.status, verdict.status === 401 ? 'Unauthorized' : 'Forbidden')
    }
    if (consoleOf !== undefined)
      return sockets.handleUpgrade(request, socket, head, (ws) =>
        bridgeConsole(ws, vmFiles(stateDir, Number(consoleOf))),
      )
    if (url.pathname === '/capture') {
      let ask: ReturnType<typeof captureAsk>
      try {
        ask = captureAsk(url.searchParams)
      } catch {
        return refuse(400, 'Bad Request')
      }
      const using = { rsh: operation('rsh'), tcpdump: operation('tcpdump') }
      return sockets.handleUpgrade(request, socket, head, (ws) => void bridgeCapture(ws, ask, using, base, scratch))
    }
    refuse(404, 'Not Found')
  })

  await new Promise<void>((listening, failed) => {
    server.once('error', failed)
    server.listen(options.port, '127.0.0.1', () => listening())
  }).catch(async (error) => {
    events.close()
    await rm(scratch, { recursive: true, force: true })
    throw new XclusterError(
      `cannot listen on 127.0.0.1:${options.port}: ${messageOf(error)}; choose another with --port=N`,
    )
  })
  port = (server.address() as { port: number }).port
  // Watched once it listens (no one has the new token before the URL is printed).
  await watch.start()
  // The NICs' rates, every second, while someone listens and some NIC has an interface on the host.
  const rates = new NicRates()
  const sampling = setInterval(async () => {
    const vms = watch.state.vms.filter((vm) => vm.hostLinks.some(Boolean))
    if (events.listening() > 0 && vms.length > 0) events.broadcast('rates', await rates.sample(vms))
  }, 1000)
  await writeUiAddress(stateDir, { token, port })
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    async close() {
      clearInterval(sampling)
      watch.close()
      events.close()
      for (const client of sockets.clients) client.terminate()
      // Every connection ended first (a browser's kept-alive one would hold the close), and 2 s at most for the rest:
      // what the server leaves is removed whatever holds it.
      const closed = new Promise((done) => server.close(done))
      server.closeAllConnections()
      await Promise.race([closed, sleep(2000)])
      await rm(scratch, { recursive: true, force: true })
      await rm(tokenFile(stateDir), { force: true })
      await removeStateDirIfEmpty(stateDir)
    },
  }
}
