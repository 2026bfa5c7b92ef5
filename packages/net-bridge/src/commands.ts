import {
  CommandFailed,
  type Operation,
  type OperationInput,
  XclusterError,
  configOf,
  defineOperation,
} from '@xcluster/core'
import { ensureBridge } from './bridge-device.js'
import { netnsAddresses, netnsNames } from './netns-plan.js'
import { nsadd } from './nsadd.js'
import { nsdel } from './nsdel.js'
import { type UserAccount, userAccount } from './user-account.js'
import { enterArgv, isUserNetns } from './user-namespace.js'

/**
 * What changes the machine's namespaces, links and firewall needs root: said in one line with the command to run,
 * before `ip` fails with `Operation not permitted`.
 */
function needsRoot(input: OperationInput, command: string, words = [command, ...input.args]): void {
  if ((process.geteuid?.() ?? 0) === 0) return
  throw new XclusterError(
    `${command} needs root: it changes the machine's network namespaces, links and firewall; run` +
      ` \`sudo xcluster ${words.join(' ')}\` (or the same as root)`,
  )
}

/** Whose netns nsadd and nsdel handle: --user=NAME, else the user who ran sudo; root's own for neither. */
function userFlag(input: OperationInput): string | undefined {
  const name = input.flags.user ?? input.host.env.SUDO_USER
  return name === 'root' ? undefined : name
}

const accountOf = async (input: OperationInput): Promise<UserAccount | undefined> => {
  const name = userFlag(input)
  return name === undefined ? undefined : userAccount(input.host, name)
}

const userOption = {
  type: 'string' as const,
  value: 'NAME',
  help: "the user whose netns it is (default: sudo's SUDO_USER; root's own netns for none)",
}

function indexArg(input: OperationInput, command: string): number {
  const [arg] = input.args
  if (arg === undefined || !/^\d+$/.test(arg))
    throw new XclusterError(`${command} needs a netns index, e.g. \`xcluster ${command} 1\``)
  return Number(arg)
}

const nsaddOperation = defineOperation({
  name: 'nsadd',
  output: '`{ idx, netns, outside, inside, host, ns, user }`',
  summary: 'create the cluster netns <user>_xcluster<IDX> with its veth, NAT and bridges (root)',
  usage: '[--user=NAME] [--ipv4-base=A.B.C.D/L | A.B] [--ipv6-prefix=P] IDX',
  help: `Creates the netns <user>_xcluster<IDX>, the veth pair xcluster<IDX> (here) / host<IDX> (inside)
with their addresses and routes, forwarding, the masquerade of the maintenance net out of
host<IDX>, the masquerade and forward rules of the base range here (each added only when
absent), and the bridges xcbr0-2. Everything is checked before the first change, and a failure
part-way undoes what was done.
--ipv4-base=A.B.C.D/L: netns end D+2*IDX, this end D+1+2*IDX, masquerade A.B.C.D/L;
A.B (old): netns end A.B.0.IDX, this end A.B.1.IDX, masquerade A.B.0.0/22; an IDX whose
addresses leave the range is refused. The environment's __ipv4_base and __ipv6_prefix are read
when the options are not given.
Then: \`xcluster nsenter IDX\` and \`xcluster start\` there runs the cluster on bridges.
--user=NAME: the netns NAME_xcluster<IDX> is made for NAME, who is not root, in a user namespace
of theirs: NAME enters it with \`xcluster nsenter IDX\` and has the network of that netns (taps,
bridges, captures, port 53) and nothing else; their subordinate ids (/etc/subuid) are root there.`,
  flags: {
    user: userOption,
    'ipv4-base': { type: 'string', value: 'BASE', help: "the veth pairs' IPv4 range (172.30.0.0/24)" },
    'ipv6-prefix': {
      type: 'string',
      value: 'PREFIX',
      help: "the veth pair's /96, the IPv4 address embedded (fd00:1723::/96)",
    },
  },
  async run(input) {
    const idx = indexArg(input, 'nsadd')
    needsRoot(input, 'nsadd', ['nsadd', `--user=${userFlag(input) ?? input.host.user}`, ...input.args])
    const account = await accountOf(input)
    const names = netnsNames(account?.name ?? input.host.user, idx)
    // The shell tool's spellings in the environment too: __ipv4_base, __ipv6_prefix.
    const { env } = input.host
    const addresses = netnsAddresses(
      idx,
      input.flags['ipv4-base'] ?? env.__ipv4_base,
      input.flags['ipv6-prefix'] ?? env.__ipv6_prefix,
    )
    const { config } = await configOf(input)
    await nsadd(input.host, names, addresses, { mtu: config.mtu, ipv6Prefix: config.ipv6Prefix }, account)
    return { idx, netns: names.netns, outside: names.outside, inside: names.inside, ...addresses, user: account?.name }
  },
  present: (made) => ({
    text: '',
    notes: [
      `netns ${made.netns} ready: ${made.outside} ${made.host} <-> ${made.inside} ${made.ns}`,
      ...(made.user ? [`${made.user} enters it with \`xcluster nsenter ${made.idx}\`, without root`] : []),
    ],
  }),
})

/**
 * The cluster's own stop, run inside its netns by this very program (its node options too: the built CLI asks for its
 * build with --conditions), ends its VMs and what its plugins made.
 */
async function stopInside(input: OperationInput, netns: string): Promise<void> {
  const program = [process.execPath, ...process.execArgv, process.argv[1]]
  await input.host.run('ip', ['netns', 'exec', netns, ...program, 'stop']).catch((error: unknown) => {
    if (!(error instanceof CommandFailed)) throw error
    // No such netns is nothing to stop; any other failure is said, and the netns goes all the same.
    if (!/Cannot open network namespace/.test(error.stderr))
      input.progress(`the stop in ${netns} failed: ${error.stderr.trim().split('\n').at(-1)}`)
  })
}

const nsdelOperation = defineOperation({
  name: 'nsdel',
  output: '`{ netns, user, ended }`',
  summary: 'stop the cluster in netns IDX and remove the netns, its veth and its rules',
  usage: '[--user=NAME] IDX',
  help: `Stops a cluster still running in <user>_xcluster<IDX>, then removes the netns, the veth and
exactly the outer rules nsadd added (a rule another cluster netns still needs stays). The cluster
of a netns made with --user is that user's: its processes there are ended, its state is left to them.`,
  flags: { user: userOption },
  async run(input) {
    const idx = indexArg(input, 'nsdel')
    needsRoot(input, 'nsdel')
    const user = userFlag(input)
    const names = netnsNames(user ?? input.host.user, idx)
    // Root's own cluster is stopped by its stop; a user's is ended by nsdel, its processes by pid.
    if (user === undefined) await stopInside(input, names.netns)
    const ended = await nsdel(input.host, names)
    return { netns: names.netns, user, ended: ended.length }
  },
  present: ({ netns, user, ended }) => ({
    text: '',
    notes: [
      ...(ended > 0 ? [`ended ${ended} process(es) of ${user}'s cluster in ${netns}`] : []),
      `netns ${netns} removed`,
    ],
  }),
})

const nsenterOperation = defineOperation({
  name: 'nsenter',
  output: 'a shell or command in the netns',
  summary: 'open a shell (or run COMMAND) in the cluster netns IDX',
  usage: 'IDX [COMMAND [ARGS...]]',
  help: `Runs $SHELL (or bash), or COMMAND, inside <user>_xcluster<IDX>. Root enters its own; a user
who is not root enters the netns root made for them with \`xcluster nsadd IDX --user=NAME\`, with
the network capabilities of that netns only.`,
  flags: {},
  // It holds the terminal: a shell or the command in the netns.
  stream: true,
  terminal: true,
  verbatimArgs: true,
  async run(input) {
    const idx = indexArg(input, 'nsenter')
    const { netns } = netnsNames(input.host.user, idx)
    const command = input.args.length > 1 ? input.args.slice(1) : [input.host.env.SHELL ?? '/bin/bash']
    if ((process.geteuid?.() ?? 0) === 0) return input.host.attach('ip', ['netns', 'exec', netns, ...command])
    if (!(await isUserNetns(netns)))
      throw new XclusterError(
        `there is no netns ${netns} made for you: root makes it, once, with \`xcluster nsadd ${idx}` +
          ` --user=${input.host.user}\`; then \`xcluster nsenter ${idx}\` needs no root`,
      )
    const argv = enterArgv(netns, process.getuid?.() ?? 0, process.getgid?.() ?? 0, command)
    return input.host.attach(argv[0], argv.slice(1))
  },
})

const brSetupOperation = defineOperation({
  name: 'br-setup',
  output: '`{ bridge, created }`',
  summary: 'create the bridge xcbrN of net N in this namespace',
  usage: 'N',
  help: `Creates xcbrN with 192.168.N.250/24, the IPv6 prefix's 192.168.N.250/120, group_fwd_mask
0x4000 and the cluster's mtu. An existing bridge is kept.`,
  flags: {},
  async run(input) {
    const net = indexArg(input, 'br-setup')
    needsRoot(input, 'br-setup')
    if (net > 255) throw new XclusterError(`net ${net}: nets are 0-255`)
    const { config } = await configOf(input)
    const made = await ensureBridge(input.host, net, { mtu: config.mtu, ipv6Prefix: config.ipv6Prefix })
    return { bridge: `xcbr${net}`, created: made }
  },
  present: ({ bridge, created }) => ({
    text: '',
    notes: [`${created ? 'created' : 'kept the existing'} bridge ${bridge}`],
  }),
})

/** The operations this package adds: commands of the xcluster CLI. */
export const operations: Operation[] = [nsaddOperation, nsdelOperation, nsenterOperation, brSetupOperation]
