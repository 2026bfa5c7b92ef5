import type { VmFiles } from '../qemu/state-files.js'

/** What a VM boots: the kernel, the initrd, the shared image its disk is on, the cluster's cdrom. */
export interface BootFiles {
  kernel: string
  initrd: string
  image: string
  cdrom?: string
}

/** A VM's launch, as the `launch` hook gets it: its command line and the files that command line names. */
export interface VmLaunch {
  /** The qemu argv kvmArgs made (a restored VM's waits for its saved state). */
  readonly argv: string[]
  /** The VM's own files in the state directory: disk, sockets, pid file, console log. */
  readonly files: VmFiles
  /** What it boots. */
  readonly boot: BootFiles
  /**
   * The same command line with other paths for some of these files: the VM run elsewhere (a machine's directory), its
   * console log written to where the launcher reads it. A path of the launch's own is replaced where it is a word or
   * part of one (`file=PATH,if=virtio`); where one of them begins another, the longer is replaced whole.
   */
  argvWith(paths: Partial<VmFiles & BootFiles>): string[]
}
