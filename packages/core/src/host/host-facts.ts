import { constants, accessSync, readdirSync, statSync } from 'node:fs'
import { cpus, homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import { XclusterError } from '../errors.js'

/** What config resolution needs to know about the host; gathered once, injected for tests. */
export interface HostFacts {
  user: string
  home: string
  /** Name of the network namespace this process runs in (from /run/netns), undefined in the main one. */
  netns: string | undefined
  /** Whether /dev/kvm can be opened. */
  kvm: boolean
  cpus: number
  env: NodeJS.ProcessEnv
}

const NETNS_DIR = '/run/netns'

/** The `ip netns` name whose namespace this process is in, by comparing namespace inodes. */
export function currentNetns(): string | undefined {
  let names: string[]
  try {
    names = readdirSync(NETNS_DIR)
  } catch {
    return undefined
  }
  const self = statSync('/proc/self/ns/net').ino
  return names.find((name) => {
    try {
      return statSync(join(NETNS_DIR, name)).ino === self
    } catch {
      return false
    }
  })
}

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK)
    return true
  } catch {
    return false
  }
}

// The user name becomes part of paths (/tmp/xcluster-<user>) and netns names (<user>_xcluster1).
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/

/** The user name from USER (else the account's), refused unless it is a plain name. */
export function userName(env: NodeJS.ProcessEnv): string {
  const user = env.USER ?? userInfo().username
  if (!USER_NAME.test(user))
    throw new XclusterError(
      `USER=${JSON.stringify(user).slice(0, 80)}: must be a user name of letters, digits, _ . - (at most 32, not` +
        ` starting with . or -)`,
    )
  return user
}

export function hostFacts(env: NodeJS.ProcessEnv = process.env): HostFacts {
  return {
    user: userName(env),
    home: homedir(),
    netns: currentNetns(),
    kvm: kvmUsable(),
    cpus: cpus().length,
    env,
  }
}
