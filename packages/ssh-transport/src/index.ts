// xcluster's way to other machines: a machine reached over ssh (its `ssh://USER@ADDRESS[:PORT][/PROJECT]`, its own
// ssh options and config, a control socket when a connection is up), programs run there, files copied once, and a
// VM's qemu run there with its sockets forwarded back. @xcluster/net-ovn places VMs on machines with it.
export { type SshVia, sshVia } from './ssh-address.js'
export { type SshMachine, onMachine, overSsh, remoteLine, sendFile, sshWords } from './ssh-machine.js'
export { type MachinePlace, launchOnMachine } from './remote-qemu.js'
