import { afterEach, describe, expect, test } from '@jest/globals'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vmProcess } from '../src/vm/processes.js'

const started: ChildProcess[] = []
const dirs: string[] = []

/** A process of ours whose argv is `sh -c 'sleep 60' ...words`. */
function processNaming(...words: string[]): number {
  const child = spawn('sh', ['-c', 'sleep 60', ...words], { stdio: 'ignore' })
  started.push(child)
  return child.pid!
}

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-vmproc-'))
  dirs.push(dir)
  return dir
}

afterEach(async () => {
  for (const child of started.splice(0)) child.kill()
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe("a VM's process is the one in its pid file whose argv names that file", () => {
  test('qemu naming it after -pidfile, or a process that runs the VM elsewhere naming it as a word', async () => {
    const dir = await stateDir()
    const pidFile = join(dir, 'vm-007.pid')
    const qemuLike = processNaming('qemu-system-x86_64', '-pidfile', pidFile)
    await writeFile(pidFile, `${qemuLike}\n`)
    expect(await vmProcess(dir, 7)).toEqual({ id: 7, pid: qemuLike, kernel: undefined })
    const standIn = processNaming('ssh', 'root@machine', '--', ':', pidFile, '&&', 'exec qemu ...')
    await writeFile(pidFile, `${standIn}\n`)
    expect(await vmProcess(dir, 7)).toEqual(expect.objectContaining({ pid: standIn }))
  })

  test("a pid that names another VM's file, a file elsewhere or no file is not the VM's", async () => {
    const dir = await stateDir()
    const pidFile = join(dir, 'vm-007.pid')
    for (const words of [[join(dir, 'vm-008.pid')], [join(await stateDir(), 'vm-007.pid')], ['vm-007.pid'], []]) {
      await writeFile(pidFile, `${processNaming(...words)}\n`)
      expect([words, await vmProcess(dir, 7)]).toEqual([words, undefined])
    }
  })
})
