import { execa } from 'execa'
import { fileURLToPath } from 'node:url'

export const XCLUSTER_BIN = fileURLToPath(new URL('../../bin/xcluster.mjs', import.meta.url))

/** Tests run qemu with software emulation unless told otherwise: KVM guests hang on the CI machines. */
export const TEST_ACCEL = process.env.XCLUSTER_ACCEL ?? 'tcg'

let counter = 0

async function ip(...args: string[]): Promise<void> {
  await execa('ip', args)
}

/**
 * A network namespace this test owns. A fresh one with only `lo` is what the main namespace
 * looks like to the tool; nothing outside it is touched.
 */
export class TestNetns {
  private constructor(readonly name: string) {}

  static async create(label: string): Promise<TestNetns> {
    const ns = new TestNetns(`xct-${label}-${process.pid}-${counter++}`)
    await ip('netns', 'add', ns.name)
    await ip('-n', ns.name, 'link', 'set', 'lo', 'up')
    await ip('-n', ns.name, 'link', 'set', 'lo', 'multicast', 'on')
    return ns
  }

  /** Runs a program inside the namespace. */
  exec(file: string, args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}) {
    return execa('ip', ['netns', 'exec', this.name, file, ...args], { reject: false, stdin: options.input === undefined ? 'ignore' : 'pipe', ...options, env: { XCLUSTER_ACCEL: TEST_ACCEL, ...options.env } })
  }

  /** Runs the xcluster CLI inside the namespace. */
  xcluster(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
    return this.exec('node', [XCLUSTER_BIN, ...args], options)
  }

  /** Stops whatever cluster runs in it, then deletes it. */
  async remove(cwd: string): Promise<void> {
    await this.xcluster(['stop'], { cwd })
    await ip('netns', 'del', this.name)
  }
}

/** Builds the workspace image in the main namespace, where Debian's mirror is reachable (nothing there changes). */
export async function ensureTestImage(): Promise<void> {
  const result = await execa('node', [XCLUSTER_BIN, 'image'], { reject: false, cwd: '/' })
  if (result.exitCode !== 0) throw new Error(`xcluster image failed: ${result.stderr}`)
}
