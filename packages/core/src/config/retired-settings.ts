/**
 * Settings of the shell tool that have no meaning here, with what to do instead. A user who
 * brings them gets told, instead of a setting that silently does nothing.
 */
const IMAGE_BUILD =
  "the image takes busybox, iproute2 and dropbear from the host's Debian packages and copies programs with the" +
  ' libraries ldd names; unset it'
const NO_XTERM = 'xcluster opens no terminals: `xcluster vm ID` attaches the console of a VM; unset it'

/** By name after `__` (environment) or `--` (command line, dashes as underscores). */
export const RETIRED_CLUSTER_SETTINGS: Record<string, string> = {
  bbver: IMAGE_BUILD,
  ipver: IMAGE_BUILD,
  dropbearver: IMAGE_BUILD,
  diskimver: IMAGE_BUILD,
  loader: IMAGE_BUILD,
  base_libs: IMAGE_BUILD,
  cached: 'overlays are packed at every start, never taken from a cache; unset it',
  bootable:
    "VMs always boot the kernel (__kbin) with the image's initramfs; a disk that boots itself is not supported:" +
    ' unset it',
  graphic: 'VMs have no display; `xcluster vm ID` attaches the serial console: unset it',
  bg: NO_XTERM,
  nets: 'set the nets of a role with __nets_vm, __nets_router, __nets_tester, or of node I with __netsI',
}

/** Environment variables of the shell tool that have no meaning here. */
export const RETIRED_ENV_SETTINGS: Record<string, string> = {
  XCLUSTER_HOME: 'built files live in XCLUSTER_WORKSPACE (workspace in the config); set that instead',
  XCLUSTER_MONITOR_BASE:
    'monitors are unix sockets <state dir>/vm-NNN.monitor, never TCP ports; use `socat - UNIX-CONNECT:<that socket>`,' +
    ' and unset it',
  XCLUSTER_LAYOUT: NO_XTERM,
  XCLUSTER_OFFSET: NO_XTERM,
}
