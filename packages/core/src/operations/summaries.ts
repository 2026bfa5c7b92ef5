// One line of each of core's operations, as `xcluster --help` lists it: apart from the operations' modules, so the
// list is read without loading them (a command loads its own operation only: operations/catalog.ts).

/** Each core operation's line of help, by its name. */
export const SUMMARIES = {
  start: 'boot the cluster and wait until every VM is up (--dry-run prints the qemu command lines)',
  stop: 'end every VM of the cluster and remove what start made',
  status: 'which VMs run, with pid, role, nets and addresses',
  scaleout: 'add VMs to the running cluster',
  scalein: 'remove VMs from the running cluster',
  vm: 'attach to the serial console of a VM (detach with Ctrl-])',
  'stop-vm': 'freeze VMs (QMP stop) keeping the cluster; cont-vm lets them run on',
  'cont-vm': 'let paused VMs run on (QMP cont)',
  'reset-vm': 'reset VMs (QMP system_reset) and wait until they are up again',
  link: "take a VM's link on a net down or up, as a pulled or plugged cable (QMP set_link)",
  faults: 'run a fault timeline against the running cluster: link flaps, netem, VM stops, checks (PASS/FAIL)',
  snapshot: 'save the running cluster (memory, devices, disks) and bring it back in seconds: save|restore|list|delete',
  rsh: 'run a command in a VM over ssh (a shell when no command)',
  tcpdump: "capture packets on a VM's interface into a pcap file on the host",
  netem: "delay, drop or limit a VM's traffic on one net (tc netem); --show lists what is set",
  rcp: 'copy a file out of a VM',
  mkcdrom: 'choose the overlays the next start puts on the cdrom',
  image: 'build the kernel, initramfs and root disk the VMs boot (--list, --prune)',
  kernel: "build a kernel of the cluster's own (10-15 min, once), list and prune built kernels",
  env: 'print the effective settings as shell variables (eval "$(xcluster env)"), or --json',
  ovld: 'print the directory of an overlay, as start finds it (for tar scripts)',
  install_prog: 'copy programs and the libraries they need under a directory (for tar scripts)',
  cplib: 'copy the shared libraries of programs or libraries under a directory (for tar scripts)',
  cploader: "copy the machine's dynamic loader under a directory (for tar scripts)",
  init: 'make a directory an xcluster project: package.json, tsconfig.json, xcluster.config.ts',
} as const
