import { XclusterError } from '../errors.js'
import { CommandFailed, type RunOptions } from '../host/host.js'
import { remoteQuote } from '../vm/ssh.js'

const IFACE = /^[A-Za-z0-9_.@-]{1,15}$/
export const MAX_CAPTURE_SECONDS = 86_400
export const MAX_CAPTURE_PACKETS = 10_000_000

/** What capturing asks of a cluster: a shell in a running VM. */
export interface CaptureCluster {
  inVm(id: number, script: string, options?: RunOptions): Promise<string>
}

/** How long a capture runs: seconds, or packets, or until it is interrupted; `filter` is a pcap filter. */
export interface CaptureOptions {
  duration?: number
  count?: number
  filter?: string[]
}

/** The capture's interface, checked: a Linux interface name (or `any`), nothing a shell would read. */
export function checkedIface(iface: string): string {
  if (!IFACE.test(iface))
    throw new XclusterError(`interface ${JSON.stringify(iface.slice(0, 40))}: must be 1-15 letters, digits or _.@-`)
  return iface
}

function checkedOptions({ duration, count }: CaptureOptions): void {
  const bounded = (name: string, value: number | undefined, max: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= max))
      throw new XclusterError(`--${name}=${value}: must be a whole number from 1 to ${max}`)
  }
  bounded('duration', duration, MAX_CAPTURE_SECONDS)
  bounded('count', count, MAX_CAPTURE_PACKETS)
  if (duration && count) throw new XclusterError('--duration and --count: choose one')
}

/** The guest's files of a capture running in the background on IFACE. */
const background = (iface: string) => ({
  pcap: `/tmp/xcluster-tcpdump-${iface}.pcap`,
  pid: `/tmp/xcluster-tcpdump-${iface}.pid`,
})

/** tcpdump in the guest: unbuffered pcap, no name lookups, as root (no user to drop to), the filter quoted. */
const tcpdumpWords = (iface: string, to: string, filter: string[] = [], count?: number) =>
  ['tcpdump', '-i', iface, '-n', '-Z', 'root', '-U', '-w', to, ...(count ? ['-c', String(count)] : [])]
    .concat(filter.map(remoteQuote))
    .join(' ')

/** Ends the background capture on IFACE (SIGINT, then waits for it); exit 3 when none runs. */
function endScript(iface: string): string {
  const { pid } = background(iface)
  return (
    `if [ -f ${pid} ]; then kill -INT $(cat ${pid}) 2>/dev/null;` +
    ` while kill -0 $(cat ${pid}) 2>/dev/null; do sleep 0.1; done; rm -f ${pid};` +
    ` else echo 'no capture runs on ${iface}: start one with --start' >&2; exit 3; fi`
  )
}

async function runTcpdump(cluster: CaptureCluster, id: number, script: string, stdoutFd?: number): Promise<void> {
  try {
    await cluster.inVm(id, script, { stdoutFd })
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error
    // timeout(1) ends a capture of --duration with 124 once it has signalled tcpdump: that is the capture done.
    if (error.exitCode === 124 && stdoutFd !== undefined) return
    const status = error.exitCode === undefined ? '' : ` (exit status ${error.exitCode})`
    throw new XclusterError(
      `tcpdump in the VM failed${status}: ${error.stderr.trim().split('\n').slice(-3).join('; ')}`,
    )
  }
}

/** Captures on IFACE of VM `id` into the open file `fd`, for `duration` seconds, `count` packets or until ended. */
export async function capture(cluster: CaptureCluster, id: number, iface: string, fd: number, options: CaptureOptions) {
  checkedOptions(options)
  const limit = options.duration ? `timeout -s INT ${options.duration} ` : ''
  const words = tcpdumpWords(checkedIface(iface), '-', options.filter, options.count)
  await runTcpdump(cluster, id, `exec ${limit}${words}`, fd)
}

/**
 * Leaves a capture running in the VM, returning once it listens; a tcpdump that ends at once (a bad filter) is
 * reported with what it said.
 */
export async function startCapture(cluster: CaptureCluster, id: number, iface: string, filter: string[] = []) {
  const { pid, pcap } = background(checkedIface(iface))
  const running =
    `[ -f ${pid} ] && kill -0 $(cat ${pid}) 2>/dev/null &&` +
    ` { echo 'a capture runs on ${iface} already: --get or --stop it first' >&2; exit 3; }`
  const died = `{ cat ${pcap}.log >&2; rm -f ${pid} ${pcap} ${pcap}.log; exit 3; }`
  // Returns once tcpdump says it listens (10 s at most, a busy VM is slow to start it): what follows is captured.
  const listening =
    `n=0; until grep -q 'listening on' ${pcap}.log; do kill -0 $! 2>/dev/null || ${died};` +
    ' n=$((n + 1)); [ $n -ge 100 ] && break; sleep 0.1; done'
  const tcpdump = `${tcpdumpWords(iface, pcap, filter)} </dev/null >/dev/null 2>${pcap}.log &`
  await runTcpdump(cluster, id, `${running}; ${tcpdump} echo $! > ${pid}; ${listening}`)
}

/**
 * Ends the capture `startCapture` began: its file is written to `fd`, or dropped without one. It is ended first, so
 * that with none running the host's file is left alone.
 */
export async function endCapture(cluster: CaptureCluster, id: number, iface: string, fd?: number) {
  const { pcap } = background(checkedIface(iface))
  if (fd === undefined) return runTcpdump(cluster, id, `${endScript(iface)}; rm -f ${pcap} ${pcap}.log`)
  await runTcpdump(cluster, id, endScript(iface))
  await runTcpdump(cluster, id, `cat ${pcap} && rm -f ${pcap} ${pcap}.log`, fd)
}
