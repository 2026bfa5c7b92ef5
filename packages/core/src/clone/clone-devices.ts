import { XclusterError } from '../errors.js'

/** What makes a VM cloneable, the template and its clones alike. */
export interface CloneDevices {
  /** The template's RAM file: the template writes it (share=on), each clone maps it copy-on-write (share=off). */
  memory: string
  share: boolean
  /** The host end of the guest's port org.xcluster.identity, where a clone is told who it is. */
  identity: string
}

/**
 * `argv` with its RAM in the template's file, the identity port, and `xcluster.clone` on the kernel command line (the
 * guest's /init waits for an identity there). The template and every clone of it have the same devices.
 */
export function withCloneDevices(argv: string[], devices: CloneDevices): string[] {
  /** Where an option's value is. */
  const at = (option: string) => {
    const where = argv.indexOf(option)
    if (where < 0 || where + 1 >= argv.length) throw new XclusterError(`a clone's qemu command line has no ${option}`)
    return where + 1
  }
  const out = [...argv]
  const mem = out[at('-m')]
  out[at('-machine')] += ',memory-backend=xcluster-ram'
  out[at('-append')] += ' xcluster.clone'
  // The devices go before -append, which stays last.
  out.splice(
    at('-append') - 1,
    0,
    '-object',
    `memory-backend-file,id=xcluster-ram,size=${mem}M,mem-path=${devices.memory},share=${devices.share ? 'on' : 'off'}`,
    '-device',
    'virtio-serial-pci,id=xcluster-serial',
    '-chardev',
    `socket,id=xcluster-identity,path=${devices.identity},server=on,wait=off`,
    '-device',
    'virtserialport,chardev=xcluster-identity,name=org.xcluster.identity',
  )
  return out
}
