import { spawn } from 'node:child_process'
import { lstat, mkdir, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { type Host, XclusterError } from '@xcluster/core'
import type { UserAccount } from './user-account.js'

/** Where the user namespace of each `nsadd --user` netns is kept (a bind mount), for its user to enter. */
const USERNS_DIR = '/run/xcluster-userns'

export const userNamespaceFile = (netns: string) => join(USERNS_DIR, netns)

/** What a user may do in their own netns: taps, bridges and netem (net_admin), captures (net_raw), DNS on port 53. */
const CAPABILITIES = '+net_admin,+net_raw,+net_bind_service'

/**
 * The uid and gid maps of the user namespace: the user is themselves inside (their files stay theirs), root inside is
 * the first of their subordinate ids (nobody outside), and their groups stay theirs. Root of the machine is not mapped:
 * nothing inside can act as root on the machine's files.
 */
export function idMaps(account: UserAccount): { uid: string; gid: string } {
  const groups = [...new Set([account.gid, ...account.groups])].filter((gid) => gid !== 0)
  return {
    uid: `0 ${account.subuid} 1\n${account.uid} ${account.uid} 1\n`,
    gid: `${[`0 ${account.subgid} 1`, ...groups.map((gid) => `${gid} ${gid} 1`)].join('\n')}\n`,
  }
}

/**
 * The argv that runs `command` as the user (uid, gid) in the netns `netns` of `nsadd --user`: in through its user
 * namespace, then back to the user with the network capabilities of that netns only (ambient: qemu and ip keep them).
 */
export function enterArgv(netns: string, uid: number, gid: number, command: string[]): string[] {
  return [
    'nsenter',
    `--user=${userNamespaceFile(netns)}`,
    `--net=/run/netns/${netns}`,
    '--',
    'setpriv',
    `--reuid=${uid}`,
    `--regid=${gid}`,
    '--init-groups',
    `--inh-caps=${CAPABILITIES}`,
    `--ambient-caps=${CAPABILITIES}`,
    '--',
    ...command,
  ]
}

/** The directory of the user namespace files: root's, and only root's to write. */
async function ensureUsernsDir(): Promise<void> {
  await mkdir(USERNS_DIR, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
  })
  const s = await lstat(USERNS_DIR)
  if (!s.isDirectory() || s.uid !== 0 || (s.mode & 0o022) !== 0)
    throw new XclusterError(`refusing ${USERNS_DIR}: it must be a directory of root's that only root can write`)
}

/**
 * A process of the user's in a new user and network namespace, blocked reading its stdin until we are done with it:
 * the namespaces are the user's (its owner is who made it), kept once attached.
 */
async function startHolder(account: UserAccount) {
  const holder = spawn(
    'setpriv',
    [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups', '--', 'unshare', '--user', '--net', 'cat'],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  )
  let stderr = ''
  holder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((done) => holder.once('exit', () => done()))
  for (let waited = 0; waited < 5000; waited += 20) {
    if (holder.exitCode !== null || holder.signalCode !== null || holder.pid === undefined) break
    if ((await readlink(`/proc/${holder.pid}/exe`).catch(() => '')).endsWith('/cat')) {
      const pid = holder.pid
      const release = async () => {
        holder.stdin.end()
        await exited
      }
      const alive = () => holder.exitCode === null && holder.signalCode === null
      return { pid, release, alive }
    }
    await sleep(20)
  }
  holder.kill('SIGKILL')
  await exited
  throw new XclusterError(
    `could not make a user namespace for ${account.name} (${stderr.trim() || 'it did not start'}): this machine must` +
      ' let users make user namespaces (sysctl user.max_user_namespaces above 0)',
  )
}

/** Makes the netns `netns` inside a user namespace owned by `account`, both kept in /run; undone on failure. */
export async function addUserNetns(host: Host, netns: string, account: UserAccount): Promise<void> {
  await ensureUsernsDir()
  const holder = await startHolder(account)
  const file = userNamespaceFile(netns)
  try {
    const maps = idMaps(account)
    writeFileSync(`/proc/${holder.pid}/uid_map`, maps.uid)
    writeFileSync(`/proc/${holder.pid}/gid_map`, maps.gid)
    await host.run('ip', ['netns', 'attach', netns, String(holder.pid)])
    await writeFile(file, '', { flag: 'wx', mode: 0o444 })
    await host.run('mount', ['--bind', `/proc/${holder.pid}/ns/user`, file])
    // What was attached is the holder's: it still runs (so its pid is its own), and its netns is not this one.
    if (!holder.alive() || (await stat(`/run/netns/${netns}`)).ino === (await stat('/proc/self/ns/net')).ino)
      throw new XclusterError(`the process that made ${netns} for ${account.name} ended before it was kept; try again`)
  } catch (error) {
    await removeNetnsAndUserns(host, netns)
    throw error
  } finally {
    await holder.release()
  }
}

/** Removes the netns and, for one of `nsadd --user`, its user namespace file (each when there). */
export async function removeNetnsAndUserns(host: Host, netns: string): Promise<void> {
  const file = userNamespaceFile(netns)
  await host.run('umount', [file]).catch(() => undefined)
  await rm(file, { force: true })
  if (existsSync(`/run/netns/${netns}`)) await host.run('ip', ['netns', 'del', netns])
}

/** Whether `netns` was made for a user by `nsadd --user`. */
export const isUserNetns = async (netns: string) =>
  (await lstat(userNamespaceFile(netns)).catch(() => undefined)) !== undefined

/**
 * The processes of `uid` that run in the netns `netns` (its qemu, its DNS server): what a user's cluster there is
 * made of, found by their network namespace.
 */
export async function processesIn(netns: string, uid: number): Promise<number[]> {
  const target = await stat(`/run/netns/${netns}`).catch(() => undefined)
  if (!target) return []
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const [ns, proc] = await Promise.all([
      stat(`/proc/${entry}/ns/net`).catch(() => undefined),
      stat(`/proc/${entry}`).catch(() => undefined),
    ])
    if (ns && proc && ns.ino === target.ino && ns.dev === target.dev && proc.uid === uid) pids.push(Number(entry))
  }
  return pids
}
