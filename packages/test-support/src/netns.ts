import { execa } from 'execa'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** The built CLI, as users run it: an executable (jest's global setup builds it). */
export const XCLUSTER_BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url))

/** Tests run qemu with software emulation unless told otherwise: KVM guests hang on the CI machines. */
export const TEST_ACCEL = process.env.XCLUSTER_ACCEL ?? 'tcg'

let counter = 0

async function ip(...args: string[]): Promise<void> {
  await execa('ip', args)
}

type RunOptions = { cwd?: string; env?: Record<string, string>; input?: string }

/**
 * A network namespace this test owns. A fresh one with only `lo` is what the main namespace
 * looks like to the tool; nothing outside it is touched.
 */
export class TestNetns {
  private constructor(
    readonly name: string,
    /** Environment of every xcluster run, e.g. a USER of its own so cluster netns names never clash. */
    readonly env: Record<string, string>,
  ) {}

  static async create(label: string, env: Record<string, string> = {}): Promise<TestNetns> {
    const ns = new TestNetns(`xct-${label}-${process.pid}-${counter++}`, env)
    await ip('netns', 'add', ns.name)
    await ip('-n', ns.name, 'link', 'set', 'lo', 'up')
    await ip('-n', ns.name, 'link', 'set', 'lo', 'multicast', 'on')
    return ns
  }

  private options(options: RunOptions) {
    return {
      reject: false,
      stdin: options.input === undefined ? ('ignore' as const) : ('pipe' as const),
      ...options,
      env: { XCLUSTER_ACCEL: TEST_ACCEL, ...this.env, ...options.env },
    }
  }

  /** Runs a program inside the namespace (its own mount namespace too, as `ip netns exec` does). */
  exec(file: string, args: string[], options: RunOptions = {}) {
    return execa('ip', ['netns', 'exec', this.name, file, ...args], this.options(options))
  }

  /**
   * Runs a program in the namespace's network only, sharing the mounts of the test: namespaces
   * it makes with `ip netns add` stay visible, as they would be from the real host.
   */
  enter(file: string, args: string[], options: RunOptions = {}) {
    return execa('nsenter', [`--net=/run/netns/${this.name}`, file, ...args], this.options(options))
  }

  /** Runs the xcluster CLI inside the namespace. */
  xcluster(args: string[], options: RunOptions = {}) {
    return this.exec(XCLUSTER_BIN, args, options)
  }

  /** Runs the xcluster CLI with this namespace standing in for the host (nsadd, nsdel). */
  hostXcluster(args: string[], options: RunOptions = {}) {
    return this.enter(XCLUSTER_BIN, args, options)
  }

  /**
   * Stops whatever cluster runs in it, deletes it, and removes the test's directory and the cluster's state
   * directory.
   */
  async remove(cwd: string): Promise<void> {
    await this.xcluster(['stop'], { cwd })
    await ip('netns', 'del', this.name)
    await removeTestFiles(cwd, `/tmp/xcluster-${this.env.USER ?? process.env.USER ?? 'root'}/${this.name}`)
  }
}

/**
 * The xcluster CLI inside the cluster netns `<user>_xcluster1`, as a user runs it after
 * `xcluster nsenter 1`; `cwd` is read at each call (tests make their directory in beforeAll).
 */
export function xclusterInClusterNetns(user: string, cwd: () => string, env: Record<string, string> = {}) {
  return (...args: string[]) =>
    execa('ip', ['netns', 'exec', `${user}_xcluster1`, XCLUSTER_BIN, ...args], {
      cwd: cwd(),
      reject: false,
      env: { USER: user, XCLUSTER_ACCEL: TEST_ACCEL, ...env },
    })
}

/** Builds the workspace image in the main namespace, where Debian's mirror is reachable (nothing there changes). */
export async function ensureTestImage(): Promise<void> {
  const result = await execa(XCLUSTER_BIN, ['image'], { reject: false, cwd: '/' })
  if (result.exitCode !== 0) throw new Error(`xcluster image failed: ${result.stderr}`)
}

/**
 * The kernel `xcluster kernel build` makes, built once per machine and cached in the workspace
 * (10-15 minutes the first time; scripts/test builds it before the suite): its bzImage.
 */
export async function ensureTestKernel(): Promise<string> {
  const result = await execa(XCLUSTER_BIN, ['kernel', 'build'], { reject: false, cwd: '/' })
  if (result.exitCode !== 0) throw new Error(`xcluster kernel build failed: ${result.stderr}`)
  return result.stdout.trim()
}

/** Removes what a test left in /tmp: its directories, the state directories of its test user. */
export async function removeTestFiles(...paths: string[]): Promise<void> {
  for (const path of paths) if (path.startsWith('/tmp/xcluster-')) await rm(path, { recursive: true, force: true })
}
