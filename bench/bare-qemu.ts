// Bare qemu: the VM's own binary, machine, accelerator, cpu, memory, cpus and kernel booting a
// busybox initramfs whose /init prints a line, timed to that line.
import { execa } from 'execa'
import { spawn } from 'node:child_process'
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TestNetns } from '@xcluster/test-support/netns'

/** The words of the VM's qemu argv that bare keeps: binary, machine, accelerator, cpu, memory, cpus, kernel. */
export function bareArgv(argv: string[], initrd: string): string[] {
  const kept: string[] = [argv[0]]
  for (const flag of ['-machine', '-accel', '-cpu', '-m', '-smp', '-kernel']) {
    const k = argv.indexOf(flag)
    if (k >= 0) kept.push(flag, argv[k + 1])
  }
  return [
    ...kept,
    '-initrd',
    initrd,
    '-nodefaults',
    '-display',
    'none',
    '-serial',
    'stdio',
    '-no-reboot',
    '-append',
    'console=ttyS0 rdinit=/init quiet',
  ]
}

/** A busybox initramfs whose /init prints BARE-UP and powers off. */
export async function trivialInitramfs(dir: string): Promise<string> {
  const stage = join(dir, 'stage')
  await mkdir(join(stage, 'bin'), { recursive: true })
  await copyFile('/bin/busybox', join(stage, 'bin', 'busybox'))
  await writeFile(join(stage, 'init'), '#!/bin/busybox sh\n/bin/busybox echo BARE-UP\n/bin/busybox poweroff -f\n')
  await chmod(join(stage, 'init'), 0o755)
  const initrd = join(dir, 'bare.cpio.gz')
  await execa('sh', ['-c', `find . | cpio -o -H newc --quiet | gzip > ${initrd}`], { cwd: stage })
  return initrd
}

/** Runs one bare qemu until its init prints its line; returns the milliseconds it took. */
export function bareBoot(ns: TestNetns, argv: string[]): Promise<number> {
  const started = Date.now()
  const qemu = spawn('ip', ['netns', 'exec', ns.name, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((done, fail) => {
    let output = ''
    const timer = setTimeout(() => qemu.kill('SIGKILL'), 120_000)
    qemu.stdout.on('data', (chunk) => {
      output += chunk
      if (output.includes('BARE-UP')) {
        done(Date.now() - started)
        qemu.kill('SIGKILL')
      }
    })
    qemu.on('exit', () => {
      clearTimeout(timer)
      if (!output.includes('BARE-UP')) fail(new Error(`bare qemu ended without its line: ${output.slice(-300)}`))
    })
  })
}
