import type { ClusterContext } from '../contract/context.js'
import type { BootFiles, VmLaunch } from '../contract/vm-launch.js'
import type { VmFiles } from '../qemu/state-files.js'

/** The launch of a VM whose argv is `argv`, in the run's context. */
export function vmLaunch(argv: string[], files: VmFiles, context: ClusterContext): VmLaunch {
  const { kernel, initrd, image } = context.config
  const boot: BootFiles = { kernel, initrd, image, ...(context.cdrom ? { cdrom: context.cdrom } : {}) }
  const own: Record<string, string> = { ...files, ...boot }
  return {
    argv,
    files,
    boot,
    argvWith(paths) {
      // Longest first: where one path begins another (a socket and its log), the longer is replaced whole.
      const moves = Object.entries(paths)
        .filter((entry): entry is [string, string] => entry[1] !== undefined && Object.hasOwn(own, entry[0]))
        .map(([key, to]) => [own[key], to] as const)
        .sort((a, b) => b[0].length - a[0].length)
      return argv.map((word) => moves.reduce((moved, [from, to]) => moved.split(from).join(to), word))
    },
  }
}
