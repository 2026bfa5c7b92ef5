import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { completeInBash, xclusterOnPath } from '@xcluster/test-support/bash-completion'
import { TestNetns, ensureTestImage } from '@xcluster/test-support/netns'

const shellFormOverlay = fileURLToPath(new URL('./fixtures/overlays/shell-tool-form', import.meta.url))
/** Where `tools` and `reused` are found by name, as along the shell tool's XCLUSTER_OVLPATH. */
const overlayPath = fileURLToPath(new URL('./fixtures/overlays', import.meta.url))
const hook = fileURLToPath(new URL('../../../examples/hooks/nice-launch.ts', import.meta.url))
const BOOT = 240_000
const overlays = `--overlays=${shellFormOverlay},./cached.tar.xz,tools,reused`
/** The tar scripts' habit: /tmp/$USER/xcluster_$$, whose parent the test removes if it made it. */
const scriptsTmp = '/tmp/root'
let scriptsTmpWasThere = false

let ns: TestNetns
let dir: string
let stateDir: string
let mystart: Awaited<ReturnType<typeof xc>>
const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })
const rsh = async (command: string) => (await xc('rsh', '1', command)).stdout
const qemuPid = async () => Number(await readFile(join(stateDir, 'vm-001.pid'), 'utf8'))
/** The nice value of a process: field 19 of /proc/PID/stat. */
const niceOf = async (pid: number) =>
  Number((await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')[16])

beforeAll(async () => {
  await ensureTestImage()
  // What a user of the shell tool has in the environment: a hook, a variable for the VMs, a SETUP.
  ns = await TestNetns.create('habits', {
    XCLUSTER_HOOK: hook,
    xcluster_FOO: 'bar',
    SETUP: 'test',
    ARCHIVE: '/srv/archive',
    XCLUSTER_OVLPATH: overlayPath,
    USER: 'root',
  })
  scriptsTmpWasThere = existsSync(scriptsTmp)
  dir = await mkdtemp(join(tmpdir(), 'xcluster-habits-'))
  stateDir = `/tmp/xcluster-root/${ns.name}`
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 1, routers: 0, testers: 0 }))
  // A .tar.xz overlay, as the shell tool's overlay cache holds them.
  await mkdir(join(dir, 'txz', 'etc'), { recursive: true })
  await writeFile(join(dir, 'txz', 'etc', 'from-txz'), 'unpacked from a .tar.xz\n')
  await execa('sh', ['-c', 'tar -C txz -cf - etc | xz > cached.tar.xz'], { cwd: dir })
  mystart = await xc('mystart', overlays)
}, BOOT)

afterAll(async () => {
  await ns?.remove(dir)
  if (!scriptsTmpWasThere) await rm(scriptsTmp, { recursive: true, force: true })
}, BOOT)

describe('a user of the shell tool keeps the habits', () => {
  test('a hook module adds mystart, which boots the cluster by its own launch step (qemu under nice)', async () => {
    expect(mystart.stderr).toContain('vm-001: qemu under nice -n 10')
    expect(mystart.stdout).toBe('mystart: vm-001 up')
    expect(mystart.exitCode).toBe(0)
    expect(await niceOf(await qemuPid())).toBe(10)
  })

  test('tar scripts install programs through $XCLUSTER install_prog and cplib, reuse overlays by ovld', async () => {
    expect(await rsh('socat -V | head -2')).toContain('socat version 1.7')
    expect(await rsh('ethtool --version')).toMatch(/^ethtool version 6\./)
    expect(await rsh('cat /etc/tools-marker /etc/reused-marker /etc/tools-env')).toBe(
      'from the tools overlay\nfrom the reused overlay\n__nvm=1 SETUP=test ARCHIVE=/srv/archive workspace=set',
    )
    // Each script cleaned up after itself: nothing of theirs is left in /tmp/$USER.
    expect((await readdir(scriptsTmp)).filter((name) => name.startsWith('xcluster_'))).toEqual([])
  })

  test("an overlay in the shell tool's form is packed by its tar script and its rc script runs at boot", async () => {
    expect(await rsh('cat /etc/shell-form-packed')).toBe('SETUP=test __nvm=1')
    expect(await rsh('cat /root/shell-form-ran')).toBe('ran on vm-001 with __nvm=1 FOO=bar')
  })

  test("bash completes the ids of the running VMs and the hook's commands", async () => {
    const complete = async (line: string) =>
      (await ns.exec('bash', ['-c', completeInBash(line)], { cwd: dir, env: { PATH: await xclusterOnPath(dir) } }))
        .stdout
    expect(await complete('xcluster rsh ')).toBe('1')
    expect(await complete('xcluster scalein ')).toBe('1')
    expect(await complete('xcluster mys')).toBe('mystart')
  })

  test('a .tar.xz overlay is unpacked', async () => {
    expect(await rsh('cat /etc/from-txz')).toBe('unpacked from a .tar.xz')
  })

  test('/etc/xcluster_env holds __nvm, PREFIX and xcluster_FOO as FOO, and /etc/profile reads it', async () => {
    const env = await rsh('cat /etc/xcluster_env')
    expect(env).toContain("__nvm='1'")
    expect(env).toContain("PREFIX='1000::1'")
    expect(env).toContain("FOO='bar'")
    expect(
      await rsh(
        '. /etc/profile; echo "$__nvm $__nrouters $FOO"; ping -c1 -W5 $PREFIX:192.168.0.1 >/dev/null && echo own',
      ),
    ).toBe('1 0 bar\nown')
  })

  test(
    'start while the cluster runs stops it and starts it again; --no-restart refuses instead',
    async () => {
      const refused = await xc('start', '--no-restart')
      expect(refused.exitCode).toBe(1)
      expect(refused.stderr).toContain('vm-001 is already running')
      const before = await qemuPid()
      const again = await xc('start', overlays)
      expect(again.stderr).toContain('the cluster runs (vm-001): stopping it to start again')
      expect(again.stderr).toContain('up: vm-001')
      expect(again.exitCode).toBe(0)
      expect(await qemuPid()).not.toBe(before)
      expect(await rsh('cat /etc/from-txz')).toBe('unpacked from a .tar.xz')
    },
    BOOT,
  )
})
