import { describe, expect, test } from '@jest/globals'
import { withCloneDevices } from '../src/clone/clone-devices.js'
import { TEMPLATE_DIR, templateArgv, templateShape } from '../src/clone/template-shape.js'
import { vmFiles } from '../src/qemu/state-files.js'

/** A VM's argv as a start makes it, trimmed to the words that matter here. */
function argvOf(id: number, mem = 128, extra: string[] = []): string[] {
  const files = vmFiles('/tmp/state', id)
  const mac = `00:00:00:01:00:0${id}`
  return [
    'qemu-system-x86_64',
    '-name',
    `vm-00${id}`,
    '-machine',
    'pc',
    '-m',
    String(mem),
    '-drive',
    `file=${files.disk},if=virtio,format=qcow2`,
    '-drive',
    'file=/tmp/state/cdrom.iso,if=virtio,media=cdrom,readonly=on',
    '-qmp',
    `unix:${files.qmp},server=on,wait=off`,
    '-chardev',
    `socket,id=console,path=${files.console},server=on,wait=off,logfile=${files.consoleLog}`,
    '-pidfile',
    files.pid,
    '-netdev',
    `user,id=net0,hostfwd=tcp:127.0.0.1:${12300 + id}-192.168.0.${id}:22`,
    '-device',
    `virtio-net-pci,netdev=net0,mac=${mac}`,
    ...extra,
    '-append',
    'console=ttyS0 root=/dev/vda',
  ]
}
const own = (id: number) => ({
  files: vmFiles('/tmp/state', id),
  hostname: `vm-00${id}`,
  cdrom: '/tmp/state/cdrom.iso',
})
const facts = { kernel: 'k 1', qemu: '7.2' }

describe('a template is shared by the VMs of one shape', () => {
  test('VMs that differ in their files, name, MACs and NIC backends have one template', () => {
    expect(templateShape(argvOf(1), own(1), facts).key).toBe(templateShape(argvOf(2), own(2), facts).key)
  })

  test('memory, a device of their own, or the kernel make another', () => {
    const one = templateShape(argvOf(1), own(1), facts).key
    expect(templateShape(argvOf(2, 256), own(2), facts).key).not.toBe(one)
    expect(templateShape(argvOf(2, 128, ['-device', 'e1000']), own(2), facts).key).not.toBe(one)
    expect(templateShape(argvOf(2), own(2), { ...facts, kernel: 'k 2' }).key).not.toBe(one)
  })

  test("the template's argv has its files in its directory and a hub behind each NIC", () => {
    const words = templateArgv(templateShape(argvOf(1), own(1), facts), '/w/templates/abc')
    expect(words.join(' ')).not.toContain('/tmp/state')
    expect(words.join(' ')).not.toContain(TEMPLATE_DIR)
    expect(words).toContain('file=/w/templates/abc/template.disk,if=virtio,format=qcow2')
    expect(words).toContain('hubport,id=net0,hubid=0')
    expect(words).toContain('xcluster-template')
  })

  test('a clone and its template map one RAM file and have the identity port; the guest is told to wait', () => {
    const words = withCloneDevices(argvOf(1), { memory: '/w/t/memory', share: false, identity: '/s/vm-001.identity' })
    expect(words).toContain('pc,memory-backend=xcluster-ram')
    expect(words).toContain('memory-backend-file,id=xcluster-ram,size=128M,mem-path=/w/t/memory,share=off')
    expect(words).toContain('socket,id=xcluster-identity,path=/s/vm-001.identity,server=on,wait=off')
    expect(words.at(-1)).toBe('console=ttyS0 root=/dev/vda xcluster.clone')
  })
})
