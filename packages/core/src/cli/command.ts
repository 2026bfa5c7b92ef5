import type { Host } from '../host/host.js'

/** What a command gets: its words, its options and where to write. */
export interface CommandInput {
  args: string[]
  options: Record<string, string>
  host: Host
  cwd: string
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface Command {
  name: string
  /** One line for `xcluster --help`. */
  summary: string
  /** The full `--help` text of the command. */
  help: string
  /** Options of the command itself; every other `--name` must be a cluster setting. */
  flags: readonly string[]
  /** Words after the first argument are passed on as they are (rsh's remote command), never read as options. */
  verbatimArgs?: boolean
  /** Returns the exit status. */
  run(input: CommandInput): Promise<number>
}

/** Options every command accepts. */
export const COMMON_FLAGS = ['config', 'help', 'topology', 'plugins'] as const

/** The help paragraph on cluster settings, shared by the commands that read the config. */
export const SETTINGS_HELP = `Cluster settings, on top of xcluster.config.ts (command line > environment > file > defaults):
  --nvm=N --nrouters=N --ntesters=N       counts of nodes, routers, testers (4, 2, 0)
  --nets-vm=0,1 --nets-router=0,1,2 --nets-tester=0,2
  --mem=MiB --smp=N --mtu=N --append="k=v ..." --kvm-opt="qemu words"
  --netsI=.. --memI=.. --smpI=.. --appendI=..  per node I
  --accel=kvm|tcg|auto (env XCLUSTER_ACCEL)  --config=FILE  --topology=NAME (env TOPOLOGY)
  --plugins=pkg,pkg (env XCLUSTER_PLUGINS)   plugin packages added after the config's
  --kernel=built|cloud|PATH (env XCLUSTER_KERNEL, __kbin)  --kver=6.1.192 --kcfg=FILE --kobj=DIR
  The environment spellings __nvm, __nets201, __mem1, XCLUSTER_SSH_BASE, ... work too.`
