import { type ChildProcess, spawn } from 'node:child_process'
import { chmod, copyFile, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { execa } from 'execa'
import { serveTarballs } from './local-registry.js'
import type { TestNetns } from './netns.js'
import { packWorkspace } from './packed-workspace.js'

/** The machine's address, on a veth to the stand-in host. */
export const MACHINE_IP = '10.251.0.2'
/** Where xcluster is installed on the machine: a project directory, as `ssh://root@ADDR/PROJECT` names it. */
export const MACHINE_PROJECT = '/run/lab'

const SSHD_CONFIG = `ListenAddress ${MACHINE_IP}
HostKey /run/host_key
AuthorizedKeysFile /run/root_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitTunnel ethernet
AllowStreamLocalForwarding yes
PidFile /run/sshd.pid
`

/**
 * A second machine on this one: a network namespace with Debian's sshd, in a mount namespace of its own whose /run and
 * /tmp are directories of the test (so what xcluster copies there is really copied, and what it leaves is seen), with
 * xcluster installed by npm from the packed tarballs in its /run/lab. Root logs in with a key of the test's.
 */
export class SshMachine {
  private sshd?: ChildProcess

  private constructor(
    /** The test's directory of it: `run` is its /run, `tmp` its /tmp. */
    readonly root: string,
    readonly netns: string,
    private readonly host: TestNetns,
  ) {}

  /** `ssh://root@ADDR/run/lab`, for a host's `via`. */
  readonly via = `ssh://root@${MACHINE_IP}${MACHINE_PROJECT}`

  /** The ssh config that reaches it (the test's key, no known-hosts file): net-ovn's `sshConfig`. */
  get sshConfig(): string {
    return join(this.root, 'ssh_config')
  }

  /** A path of the machine (under /run or /tmp) as this machine sees it. */
  path(there: string): string {
    return join(this.root, there)
  }

  /** Makes the machine, reachable from `host` at MACHINE_IP, and installs xcluster there. */
  static async create(host: TestNetns, label: string): Promise<SshMachine> {
    const machine = new SshMachine(
      await mkdtemp(`/tmp/xcluster-machine-${label}-`),
      `xct-${label}-${process.pid}`,
      host,
    )
    const { root, netns } = machine
    await execa('ip', ['netns', 'add', netns])
    try {
      await install(root)
      await keys(root)
      await execa('ip', ['-n', netns, 'link', 'set', 'lo', 'up'])
      await execa('ip', [
        '-n',
        host.name,
        'link',
        'add',
        'xctm0',
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        netns,
      ])
      await execa('ip', ['-n', host.name, 'addr', 'add', '10.251.0.1/24', 'dev', 'xctm0'])
      await execa('ip', ['-n', host.name, 'link', 'set', 'xctm0', 'up'])
      await execa('ip', ['-n', netns, 'addr', 'add', `${MACHINE_IP}/24`, 'dev', 'eth0'])
      await execa('ip', ['-n', netns, 'link', 'set', 'eth0', 'up'])
      await machine.startSshd()
      return machine
    } catch (error) {
      await machine.remove()
      throw error
    }
  }

  /** Starts its sshd (in the machine's namespaces) and waits until root can log in. */
  async startSshd(): Promise<void> {
    const log = await open(join(this.root, 'sshd.log'), 'a')
    const mounts = `mount --bind ${this.root}/run /run && mount --bind ${this.root}/tmp /tmp`
    const sshd = ['/usr/sbin/sshd', '-D', '-e', '-f', '/run/sshd_config']
    this.sshd = spawn(
      'nsenter',
      [
        `--net=/run/netns/${this.netns}`,
        'unshare',
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        `${mounts} && exec ${sshd.join(' ')}`,
      ],
      { stdio: ['ignore', log.fd, log.fd] },
    )
    await log.close()
    for (let k = 0; k < 100; k++) {
      if ((await this.ssh('true')).exitCode === 0) return
      if (this.sshd.exitCode !== null) break
      await sleep(100)
    }
    throw new Error(`the machine's sshd does not answer: see ${join(this.root, 'sshd.log')}`)
  }

  /**
   * Ends its sshd, the only process the test started there: no new connection is taken (those open go on, as a
   * machine whose sshd stops keeps its sessions).
   */
  async stopSshd(): Promise<void> {
    const sshd = this.sshd
    if (!sshd || sshd.exitCode !== null || sshd.signalCode !== null) return
    const ended = new Promise((done) => sshd.once('exit', done))
    sshd.kill()
    await ended
  }

  /** Takes the machine off the network (its link down: every connection to it stalls) or back on. */
  async setLink(state: 'up' | 'down'): Promise<void> {
    await execa('ip', ['-n', this.netns, 'link', 'set', 'eth0', state])
  }

  /** Runs a shell line on the machine as root, over ssh from the host. */
  ssh(line: string) {
    return this.host.enter('ssh', ['-F', this.sshConfig, `root@${MACHINE_IP}`, line])
  }

  /** Ends its sshd and removes its namespace and files. */
  async remove(): Promise<void> {
    await this.stopSshd()
    await execa('ip', ['netns', 'del', this.netns], { reject: false })
    await rm(this.root, { recursive: true, force: true })
  }
}

/** xcluster installed by npm in the machine's /run/lab from the packed tarballs, as a user installs it there. */
async function install(root: string): Promise<void> {
  const project = join(root, 'run', 'lab')
  await mkdir(project, { recursive: true })
  await mkdir(join(root, 'tmp'), { mode: 0o1777 })
  await chmod(join(root, 'tmp'), 0o1777)
  await mkdir(join(root, 'run', 'sshd'), { mode: 0o755 })
  await mkdir(join(root, 'packs'))
  const registry = await serveTarballs(await packWorkspace(join(root, 'packs')))
  try {
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'lab', private: true, type: 'module' }))
    await writeFile(
      join(project, '.npmrc'),
      `@xcluster:registry=${registry.url}/\ncache=${root}/npm-cache\nfund=false\naudit=false\nupdate-notifier=false\n`,
    )
    const env = { PATH: process.env.PATH!, HOME: process.env.HOME!, USER: 'root' }
    const add = await execa('npm', ['install', '@xcluster/cli', '@xcluster/core', '@xcluster/net-ovn'], {
      cwd: project,
      reject: false,
      all: true,
      extendEnv: false,
      env,
    })
    if (add.exitCode !== 0) throw new Error(`npm install on the machine failed: ${add.all}`)
  } finally {
    await registry.close()
  }
  await rm(join(root, 'npm-cache'), { recursive: true, force: true })
  await rm(join(root, 'packs'), { recursive: true, force: true })
}

/** The machine's host key, the test's key for root, and the ssh config that uses it. */
async function keys(root: string): Promise<void> {
  const keygen = (file: string) => execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file])
  await keygen(join(root, 'run', 'host_key'))
  await keygen(join(root, 'client_key'))
  await copyFile(join(root, 'client_key.pub'), join(root, 'run', 'root_keys'))
  await writeFile(join(root, 'run', 'sshd_config'), SSHD_CONFIG)
  await writeFile(
    join(root, 'ssh_config'),
    `Host *\n  IdentityFile ${join(root, 'client_key')}\n  UserKnownHostsFile /dev/null\n` +
      '  StrictHostKeyChecking no\n  LogLevel ERROR\n',
  )
}
