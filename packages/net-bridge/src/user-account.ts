import { readFile } from 'node:fs/promises'
import { CommandFailed, type Host, XclusterError } from '@xcluster/core'

/** Who a cluster netns of `nsadd --user` is for: the account, its groups, and its subordinate ids (/etc/subuid). */
export interface UserAccount {
  name: string
  uid: number
  gid: number
  /** Its supplementary groups (kvm, ...), kept inside its netns. */
  groups: number[]
  /** The first of its subordinate uids and gids: root inside its user namespace, nobody outside. */
  subuid: number
  subgid: number
}

const ACCOUNT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/

/** The first id of `name`'s range in /etc/subuid or /etc/subgid (lines NAME-or-UID:START:COUNT), if it has one. */
export function subordinateStart(text: string, name: string, id: number): number | undefined {
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':')
    if ((who === name || who === String(id)) && /^\d+$/.test(start ?? '') && Number(count) >= 1) return Number(start)
  }
  return undefined
}

async function idOf(host: Host, flag: string, name: string): Promise<string> {
  return host.run('id', [flag, '--', name]).catch((error: unknown) => {
    if (error instanceof CommandFailed) throw new XclusterError(`--user=${name}: there is no such user on this machine`)
    throw error
  })
}

async function subordinate(file: string, name: string, id: number): Promise<number> {
  const start = subordinateStart((await readFile(file, 'utf8').catch(() => '')) as string, name, id)
  if (start === undefined || start === 0)
    throw new XclusterError(
      `--user=${name}: ${name} has no subordinate ids in ${file}, which become root inside its netns; add a range,` +
        ` e.g. \`usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${name}\``,
    )
  return start
}

/** The account `name`, refused unless it is a plain name of a user of this machine other than root. */
export async function userAccount(host: Host, name: string): Promise<UserAccount> {
  if (!ACCOUNT_NAME.test(name))
    throw new XclusterError(
      `--user=${JSON.stringify(name).slice(0, 80)}: must be a user name of letters, digits, _ . - (at most 32)`,
    )
  const uid = Number(await idOf(host, '-u', name))
  if (uid === 0) throw new XclusterError(`--user=${name}: root's own netns is made without --user`)
  const gid = Number(await idOf(host, '-g', name))
  const groups = (await idOf(host, '-G', name)).split(/\s+/).filter(Boolean).map(Number)
  return {
    name,
    uid,
    gid,
    groups,
    subuid: await subordinate('/etc/subuid', name, uid),
    subgid: await subordinate('/etc/subgid', name, uid),
  }
}
