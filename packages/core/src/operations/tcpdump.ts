import { runningVmIds } from './completion-words.js'
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { XclusterError } from '../errors.js'
import { writeUserFile } from '../host/user-file.js'
import { hostname } from '../node/addressing.js'
import { type Flags, defineOperation } from '../contract/operation.js'
import { nodeIdArg } from './node-ids.js'
import { clusterOf } from './cluster-of.js'
import { SUMMARIES } from './summaries.js'

const FLAGS = {
  output: {
    type: 'string',
    short: 'o',
    value: 'FILE',
    help: 'the pcap file on the host (default vm-NNN-IFACE.pcap here)',
  },
  duration: { type: 'string', value: 'S', help: 'capture for S seconds' },
  count: { type: 'string', value: 'N', help: 'capture N packets' },
  start: { type: 'boolean', help: 'leave the capture running in the VM' },
  get: { type: 'boolean', help: 'end a capture --start began and fetch its file' },
  stop: { type: 'boolean', help: 'end a capture --start began and drop its file' },
} as const satisfies Flags

/** A whole number flag, as the capture checks it (a word that is no number is refused by name). */
function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d{1,9}$/.test(value)) throw new XclusterError(`--${name}=${value}: must be a whole number`)
  return Number(value)
}

/** What a capture did: started in the VM, ended there, or written to a file on the host. */
type Capture = { started: string } | { stopped: string } | { file: string; bytes: number }

export const tcpdumpOperation = defineOperation({
  name: 'tcpdump',
  output: '`{ file, bytes }`, `{ started }` or `{ stopped }`',
  summary: SUMMARIES.tcpdump,
  usage: `ID IFACE [-o FILE.pcap] [--duration=S | --count=N] [FILTER...]
       xcluster tcpdump --start ID IFACE [FILTER...]
       xcluster tcpdump --get ID IFACE [-o FILE.pcap]
       xcluster tcpdump --stop ID IFACE`,
  help: `Runs tcpdump in VM ID on IFACE (eth1, any, ...) and writes what it captures to FILE.pcap on the
host (default vm-NNN-IFACE.pcap here), for tcpdump -r or Wireshark. It captures for --duration
seconds, or --count packets, or until Ctrl-C; FILTER is a pcap filter (\`icmp\`, \`port 53\`).
--start leaves the capture running in the VM; --get ends it and fetches the file; --stop ends it
and drops the file.`,
  flags: FLAGS,
  complete: (input, index) => (index === 0 ? runningVmIds(input) : index === 1 ? ['eth0', 'eth1', 'eth2', 'any'] : []),
  async run(input): Promise<Capture> {
    const modes = (['start', 'get', 'stop'] as const).filter((mode) => input.flags[mode])
    if (modes.length > 1) throw new XclusterError(`--${modes.join(' and --')}: choose one`)
    const id = nodeIdArg(input.args, 'tcpdump')
    const [, iface, ...filter] = input.args
    if (iface === undefined)
      throw new XclusterError('tcpdump needs a node id and an interface: `xcluster tcpdump 1 eth1`')
    // What captures is loaded when one runs (the operations are loaded together).
    const { capture, checkedIface, endCapture, startCapture } = await import('../lifecycle/capture.js')
    // Checked before it names a file here or there.
    checkedIface(iface)
    const duration = wholeNumber('duration', input.flags.duration)
    const count = wholeNumber('count', input.flags.count)
    const cluster = await clusterOf(input)
    if (input.flags.start) {
      await startCapture(cluster, id, iface, filter)
      return { started: `${hostname(id)} ${iface}` }
    }
    if (input.flags.stop) {
      await endCapture(cluster, id, iface)
      return { stopped: `${hostname(id)} ${iface}` }
    }
    // Where the pcap goes on the host: -o FILE, else vm-NNN-IFACE.pcap here (the shell tool's name). Written beside
    // the file and moved over it on success: a failed capture leaves no half-written pcap and the old file as it was.
    const file = resolve(input.cwd, input.flags.output ?? `${hostname(id)}-${iface}.pcap`)
    await writeUserFile(file, (out) =>
      input.flags.get
        ? endCapture(cluster, id, iface, out.fd)
        : capture(cluster, id, iface, out.fd, { duration, count, filter }),
    )
    return { file, bytes: (await stat(file)).size }
  },
  present(result, input) {
    if ('file' in result)
      return {
        text: '',
        notes: [
          `wrote ${result.file} (${result.bytes} bytes); read it with \`tcpdump -r ${result.file}\` or Wireshark`,
        ],
      }
    if ('stopped' in result) return { text: '' }
    const [id, iface] = input.args
    return {
      text: '',
      notes: [`capturing on ${result.started}; \`xcluster tcpdump --get ${id} ${iface}\` ends it and fetches the file`],
    }
  },
})
