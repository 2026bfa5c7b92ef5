import type { ClusterContext } from '../contract/context.js'
import type { Node } from '../node/node.js'
import { type VmFiles, vmFiles } from '../qemu/state-files.js'
import { createDisk } from '../vm/launch.js'
import { waitUntilReady } from '../vm/readiness.js'

/**
 * How a VM comes up in the one boot routine: booted from its kernel, brought back from a snapshot, or (the cloning
 * issue) cloned from a template. Each step gets the VM's files; qemu is launched between `argv` and `untilUp`.
 */
export interface BootStrategy {
  /** What is made once before any VM is launched, with every VM's argv as a boot would use it (templates). */
  prepare?(argvs: ReadonlyMap<number, string[]>): Promise<void>
  /** What the log says it does: `booting vm-001`, `restoring vm-001`. */
  describe(node: Node): string
  /** The VM's disk, made before qemu starts. */
  disk(node: Node, files: VmFiles): Promise<void>
  /** The qemu argv of the VM, from the one a boot would use. */
  argv(node: Node, booted: string[]): string[]
  /** After qemu started: until the VM is up; fails early if it dies (`alive`), and on its bootTimeout. */
  untilUp(node: Node, alive: () => Promise<boolean>): Promise<void>
}

/** A VM booted from its kernel: a fresh disk over the image, up when its console says so. */
export function booted(context: ClusterContext): BootStrategy {
  return {
    describe: (node) => `booting ${node.hostname}`,
    disk: (_node, files) => createDisk(context.host, files, context.config.image),
    argv: (_node, argv) => argv,
    untilUp: (node, alive) =>
      waitUntilReady(node, vmFiles(context.stateDir, node.id).consoleLog, context.config.bootTimeout, alive),
  }
}
