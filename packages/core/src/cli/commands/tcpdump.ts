import { runningVmIds } from '../completion.js'
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { XclusterError } from '../../errors.js'
import { CommandFailed } from '../../host/host.js'
import { writeUserFile } from '../../host/user-file.js'
import { hostname } from '../../node/addressing.js'
import { type CommandInput, type Flags, defineCommand } from '../command.js'
import { nodeIdArg } from '../node-ids.js'
import { remoteQuote, sshTarget } from '../remote-shell.js'
import { clusterOf } from '../cluster-of.js'

const IFACE = /^[A-Za-z0-9_.@-]{1,15}$/
const MAX_DURATION = 86_400
const MAX_COUNT = 10_000_000
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
type Input = CommandInput<typeof FLAGS>

/** A whole number option within bounds, or undefined when not given. */
function bounded(input: Input, name: 'duration' | 'count', max: number): number | undefined {
  const value = input.flags[name]
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new XclusterError(`--${name}=${value}: must be a whole number from 1 to ${max}`)
  return Number(value)
}

/** The capture's interface, checked: a Linux interface name (or `any`), nothing a shell would read. */
function ifaceArg(input: Input): string {
  const iface = input.args[1]
  if (iface === undefined)
    throw new XclusterError('tcpdump needs a node id and an interface: `xcluster tcpdump 1 eth1`')
  if (!IFACE.test(iface))
    throw new XclusterError(`interface ${JSON.stringify(iface.slice(0, 40))}: must be 1-15 letters, digits or _.@-`)
  return iface
}

/**
 * Where the pcap goes on the host: -o FILE, else vm-NNN-IFACE.pcap in the working directory (the shell tool's name).
 */
const outputFile = (input: Input, id: number, iface: string) =>
  resolve(input.cwd, input.flags.output ?? `${hostname(id)}-${iface}.pcap`)

/** The guest's files of a capture running in the background on IFACE. */
const background = (iface: string) => ({
  pcap: `/tmp/xcluster-tcpdump-${iface}.pcap`,
  pid: `/tmp/xcluster-tcpdump-${iface}.pid`,
})

/**
 * tcpdump's words in the guest: unbuffered pcap, no name lookups, as root (no user to drop to), then the filter, each
 * word quoted.
 */
const tcpdumpWords = (iface: string, to: string, filter: string[], count?: number) =>
  [
    'tcpdump',
    '-i',
    iface,
    '-n',
    '-Z',
    'root',
    '-U',
    '-w',
    to,
    ...(count ? ['-c', String(count)] : []),
    ...filter.map(remoteQuote),
  ].join(' ')

async function runRemote(input: CommandInput, target: string[], script: string, stdoutFd?: number): Promise<void> {
  try {
    await input.host.run('ssh', [...target, script], { stdoutFd })
  } catch (error) {
    if (!(error instanceof CommandFailed)) throw error
    // timeout(1) ends a capture of --duration with 124 once it has signalled tcpdump: that is the capture done.
    if (error.exitCode === 124 && stdoutFd !== undefined) return
    throw new XclusterError(
      `tcpdump in the VM failed${error.exitCode === undefined ? '' : ` (exit status ${error.exitCode})`}:` +
        ` ${error.stderr.trim().split('\n').slice(-3).join('; ')}`,
    )
  }
}

async function reportFile(input: CommandInput, file: string): Promise<number> {
  input.stderr(
    `xcluster: wrote ${file} (${(await stat(file)).size} bytes); read it with \`tcpdump -r ${file}\` or Wireshark\n`,
  )
  return 0
}

export const tcpdumpCommand = defineCommand({
  name: 'tcpdump',
  summary: "capture packets on a VM's interface into a pcap file on the host",
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
  async run(input) {
    const modes = (['start', 'get', 'stop'] as const).filter((mode) => input.flags[mode])
    if (modes.length > 1) throw new XclusterError(`--${modes.join(' and --')}: choose one`)
    const id = nodeIdArg(input.args, 'tcpdump')
    const iface = ifaceArg(input)
    const filter = input.args.slice(2)
    const duration = bounded(input, 'duration', MAX_DURATION)
    const count = bounded(input, 'count', MAX_COUNT)
    if (duration && count) throw new XclusterError('--duration and --count: choose one')
    const cluster = await clusterOf(input)
    const target = await sshTarget(cluster, id)
    const files = background(iface)
    const end =
      `if [ -f ${files.pid} ]; then kill -INT $(cat ${files.pid}) 2>/dev/null; while kill -0 $(cat` +
      ` ${files.pid}) 2>/dev/null; do sleep 0.1; done; rm -f ${files.pid}; else echo 'no capture runs on ${iface}:` +
      ` start one with --start' >&2; exit 3; fi`
    if (input.flags.start) {
      const running =
        `[ -f ${files.pid} ] && kill -0 $(cat ${files.pid}) 2>/dev/null && { echo 'a capture runs on` +
        ` ${iface} already: --get or --stop it first' >&2; exit 3; }`
      // A tcpdump that ends at once (a bad filter) is reported with what it said, not left as a capture.
      const died =
        `sleep 0.5; kill -0 $! 2>/dev/null || { cat ${files.pcap}.log >&2; rm -f ${files.pid}` +
        ` ${files.pcap} ${files.pcap}.log; exit 3; }`
      await runRemote(
        input,
        target,
        `${running}; ${tcpdumpWords(iface, files.pcap, filter)} </dev/null >/dev/null 2>${files.pcap}.log &` +
          ` echo $! > ${files.pid}; ${died}`,
      )
      input.stderr(
        `xcluster: capturing on ${hostname(id)} ${iface}; \`xcluster tcpdump --get ${id} ${iface}\`` +
          ` ends it and fetches the file\n`,
      )
      return 0
    }
    if (input.flags.stop) {
      await runRemote(input, target, `${end}; rm -f ${files.pcap} ${files.pcap}.log`)
      return 0
    }
    const file = outputFile(input, id, iface)
    if (input.flags.get) {
      // Ended first, so that a --get with no capture running leaves the host's file alone.
      await runRemote(input, target, end)
      // Written beside the file and moved over it on success: a failed fetch leaves no half-written pcap and the old
      // file as it was.
      await writeUserFile(file, (out) =>
        runRemote(input, target, `cat ${files.pcap} && rm -f ${files.pcap} ${files.pcap}.log`, out.fd),
      )
      return reportFile(input, file)
    }
    const limit = duration ? `timeout -s INT ${duration} ` : ''
    await writeUserFile(file, (out) =>
      runRemote(input, target, `exec ${limit}${tcpdumpWords(iface, '-', filter, count)}`, out.fd),
    )
    return reportFile(input, file)
  },
})
