import { join } from 'node:path'
import { checkedIface, remoteQuote } from '@xcluster/core'
import type { Operation, StreamInput } from '@xcluster/core/adapter'
import type { WebSocket } from 'ws'
import { callOperation } from '../served/operation-call.js'

const VM_ID = /^\d{1,3}$/
const MAX_FILTER_WORDS = 32

/** What a capture is of: a VM, one of its interfaces, a pcap filter (`icmp`, `port 53`). */
export interface CaptureAsk {
  id: string
  iface: string
  filter: string[]
}

/** The capture the page asked for, checked: a VM id, an interface name, a filter of at most 32 words of 256. */
export function captureAsk(query: URLSearchParams): CaptureAsk {
  const [id, iface] = [query.get('vm') ?? '', query.get('iface') ?? '']
  const filter = (query.get('filter') ?? '').split(/\s+/).filter((word) => word !== '')
  if (!VM_ID.test(id)) throw new Error(`vm=${JSON.stringify(id.slice(0, 20))}: must be a VM's number`)
  checkedIface(iface)
  if (filter.length > MAX_FILTER_WORDS || filter.some((word) => word.length > 256))
    throw new Error(`filter: at most ${MAX_FILTER_WORDS} words of 256 characters`)
  return { id, iface, filter }
}

/** The operations a capture calls. */
export interface CaptureOperations {
  rsh: Operation
  tcpdump: Operation
}

/**
 * A capture in the page: the pcap written in the VM (`tcpdump --start`), and tcpdump's decoded lines of the same
 * packets sent as they come (a second tcpdump in the VM, `-l`). "stop" from the page, or closing it, ends both and
 * fetches the pcap into `dir`; the page is told its name (`{ pcap }`) to download it from `/captures/NAME`.
 */
export async function bridgeCapture(
  socket: WebSocket,
  ask: CaptureAsk,
  operations: CaptureOperations,
  base: StreamInput,
  dir: string,
): Promise<void> {
  const say = (message: object) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(message))
  const { id, iface, filter } = ask
  const started = await callOperation(operations.tcpdump, ['--start', id, iface, ...filter], base)
  if (started.exit !== 0) {
    say({ error: started.error ?? started.output })
    return socket.close()
  }
  const pidFile = `/tmp/xcluster-ui-lines-${iface}.pid`
  const lines = new AbortController()
  const script = `echo $$ > ${pidFile}; exec tcpdump -l -n -Z root -i ${iface} ${filter.map(remoteQuote).join(' ')}`
  void callOperation(operations.rsh, [id, script], base, (text) => say({ lines: text }), lines.signal)
  let ended = false
  const end = async () => {
    if (ended) return
    ended = true
    lines.abort()
    await callOperation(operations.rsh, [id, `kill -INT $(cat ${pidFile}) 2>/dev/null; rm -f ${pidFile}`], base)
    const name = `vm-${id.padStart(3, '0')}-${iface}-${Date.now()}.pcap`
    const got = await callOperation(operations.tcpdump, ['--get', id, iface, `--output=${join(dir, name)}`], base)
    say(got.exit === 0 ? { pcap: name } : { error: got.error ?? got.output })
    socket.close()
  }
  socket.on('message', (data) => {
    if (String(data) === 'stop') void end()
  })
  socket.on('close', () => void end())
}
