import { describe, expect, test } from '@jest/globals'
import type { ClusterContext } from '../src/contract/context.js'
import { vmFiles } from '../src/qemu/state-files.js'
import { vmLaunch } from '../src/runtime/vm-launch.js'

const context = {
  config: { kernel: '/w/k/bzImage', initrd: '/w/i/initrd', image: '/w/i/disk.qcow2' },
  cdrom: '/s/cdrom.iso',
} as unknown as ClusterContext
const files = vmFiles('/s', 3)
const argv = [
  'qemu-system-x86_64',
  '-kernel',
  '/w/k/bzImage',
  '-drive',
  `file=${files.disk},if=virtio,format=qcow2`,
  '-drive',
  'file=/s/cdrom.iso,if=virtio,media=cdrom,readonly=on',
  '-chardev',
  `socket,id=console,path=${files.console},server=on,wait=off,logfile=${files.consoleLog}`,
  '-pidfile',
  files.pid,
]

describe("a VM's launch, as the launch hook gets it", () => {
  test('names its files and what it boots', () => {
    const vm = vmLaunch(argv, files, context)
    expect([vm.argv, vm.files, vm.boot]).toEqual([
      argv,
      files,
      { kernel: '/w/k/bzImage', initrd: '/w/i/initrd', image: '/w/i/disk.qcow2', cdrom: '/s/cdrom.iso' },
    ])
  })

  test('argvWith puts other paths in place of its own, in words and parts of words, the rest as it was', () => {
    const there = vmFiles('/m', 3)
    const moved = vmLaunch(argv, files, context).argvWith({
      ...there,
      kernel: '/m/kernel',
      cdrom: '/m/cdrom.iso',
      consoleLog: '/dev/stdout',
    })
    expect(moved).toEqual([
      'qemu-system-x86_64',
      '-kernel',
      '/m/kernel',
      '-drive',
      `file=${there.disk},if=virtio,format=qcow2`,
      '-drive',
      'file=/m/cdrom.iso,if=virtio,media=cdrom,readonly=on',
      '-chardev',
      `socket,id=console,path=${there.console},server=on,wait=off,logfile=/dev/stdout`,
      '-pidfile',
      there.pid,
    ])
  })

  test('where one of its paths begins another, the longer is replaced whole (longest first)', () => {
    const own = { ...files, monitor: '/s/vm-003', consoleLog: '/s/vm-003.log' }
    const vm = vmLaunch(['-a', '/s/vm-003.log', '-b', 'unix:/s/vm-003,server=on'], own, context)
    expect(vm.argvWith({ monitor: '/m/monitor', consoleLog: '/dev/stdout' })).toEqual([
      '-a',
      '/dev/stdout',
      '-b',
      'unix:/m/monitor,server=on',
    ])
  })
})
