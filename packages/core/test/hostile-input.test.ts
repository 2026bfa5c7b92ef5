import { afterAll, describe, expect, test } from '@jest/globals'
import { chmod, chown, lstat, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { resolveConfig } from '../src/config/resolve.js'
import type { UserConfig } from '../src/contract/user-config.js'
import { ConfigError } from '../src/errors.js'
import { hostFacts } from '../src/host/host-facts.js'
import { ensurePrivateDir } from '../src/host/trusted-path.js'
import type { Plugin } from '../src/contract/plugin.js'
import { configProblems } from '@xcluster/test-support/config-problems'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from './cli-run.js'
import { testHost } from './host.js'

// Another user of the machine, who owns what an attacker planted.
const OTHER_UID = 4242

afterAll(removeTempDirs)

describe('names and values that are not settings', () => {
  test('environment variables named after Object members are ignored, and as options they are unknown', () => {
    const config = resolveConfig(
      {},
      testHost({ constructor: 'x', __toString: 'y', __proto__: 'z', hasOwnProperty: '1' } as NodeJS.ProcessEnv),
    )
    expect(config.nodes).toBe(4)
    expect(configProblems(() => resolveConfig({ options: { hasOwnProperty: '1' } }, testHost()))).toEqual([
      '--hasOwnProperty="1": is not an option',
    ])
  })

  test('a huge count is refused before any plugin sees it', () => {
    let configured = false
    const plugin: Plugin = {
      name: 'counts-nodes',
      coreRange: '*',
      apply() {},
      configure: () => {
        configured = true
        return { defaults: {}, issues: [] }
      },
    }
    expect(configProblems(() => resolveConfig({ plugins: [plugin] }, testHost({ __nvm: '99999999999' })))).toEqual([
      '__nvm=99999999999: must be a whole number from 0 to 200',
    ])
    // biome-ignore lint/correctness/noPrecisionLoss: a number JSON cannot hold, as a config may bring
    expect(configProblems(() => resolveConfig({ file: { nodes: 1e400 } }, testHost()))).toEqual([
      'nodes=null: must be a whole number from 0 to 200',
    ])
    expect(configured).toBe(false)
  })

  test('paths, the qemu binary and the machine are checked: no commas to inject qemu options', () => {
    const file = {
      workspace: 5,
      stateDir: '/tmp/x,file=/etc/shadow',
      kernel: '',
      qemu: 'qemu -drive',
      machine: 'pc,file=/etc/shadow',
      image: 'a\nb',
    } as unknown as UserConfig
    expect(configProblems(() => resolveConfig({ file }, testHost()))).toEqual([
      'qemu="qemu -drive": must be a program name or path of letters, digits and ._+-/, not starting with -',
      'machine="pc,file=/etc/shadow": must be a machine type such as pc or q35, optionally with ,key=value properties',
      'kernel="": must be a path of at most 1024 characters, without commas, newlines or control characters',
      'image="a\\nb": must be a path of at most 1024 characters, without commas, newlines or control characters',
      'workspace=5: must be a path of at most 1024 characters, without commas, newlines or control characters',
      'stateDir="/tmp/x,file=/etc/shadow": must be a path of at most 1024 characters, without commas, newlines or' +
        ' control characters',
    ])
    expect(resolveConfig({ file: { machine: 'q35,accel=tcg' } }, testHost()).machine).toBe('q35,accel=tcg')
  })

  test('a circular value is reported, not a crash of the error message', () => {
    const loop: Record<string, unknown> = {}
    loop.self = loop
    let message = ''
    try {
      resolveConfig({ file: { append: loop } as unknown as UserConfig }, testHost())
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      message = (error as Error).message
    }
    expect(message).toContain(
      'append=<ref *1> { self: [Circular *1] }: must be a list of words without spaces or control characters',
    )
  })

  test('USER that is a path or holds a comma is refused, naming it', () => {
    expect(() => hostFacts({ USER: '../../../root/x' })).toThrow('USER="../../../root/x": must be a user name')
    expect(() => hostFacts({ USER: 'a,file=/etc/shadow' })).toThrow('USER="a,file=/etc/shadow": must be a user name')
    expect(hostFacts({ USER: 'alice.b-1' }).user).toBe('alice.b-1')
  })
})

describe('the CLI turns every bad input into one clear line and exit 1', () => {
  test('a config function that throws, and a config that is not an object', async () => {
    const dir = await tempDir('hostile')
    await writeFile(join(dir, 'xcluster.config.mjs'), 'export default () => { throw new Error("no such cluster") }\n')
    const thrown = await runCli(['env'], dir)
    expect([thrown.status, thrown.stderr]).toEqual([
      1,
      `xcluster env: the config function of ${dir}/xcluster.config.mjs failed: no such cluster\n`,
    ])
    const other = await tempDir('hostile')
    await writeFile(join(other, 'xcluster.config.json'), '5')
    const five = await runCli(['env'], other)
    expect([five.status, five.stderr]).toEqual([
      1,
      `xcluster env: ${other}/xcluster.config.json must export a config object (use defineConfig({...})), got 5\n`,
    ])
  })

  test('a bad USER', async () => {
    const result = await runCli(['env'], '/', { USER: '../x' })
    expect([result.status, result.stderr]).toEqual([
      1,
      'xcluster env: USER="../x": must be a user name of letters, digits, _ . - (at most 32, not starting with .' +
        ' or -)\n',
    ])
  })
})

describe('no code and no state from places other users can write', () => {
  test('a config file in a parent directory outside the project and home is not loaded', async () => {
    const parent = await tempDir('parent')
    await mkdir(join(parent, 'work'))
    await writeFile(join(parent, 'xcluster.config.json'), JSON.stringify({ nodes: 9 }))
    await chown(join(parent, 'xcluster.config.json'), OTHER_UID, OTHER_UID)
    const env = await runCli(['env', '--json'], join(parent, 'work'))
    expect(env.status).toBe(0)
    expect(JSON.parse(env.stdout).nodes).toBe(4)
  })

  test('a config file owned by another user, or writable by others, is refused before it runs', async () => {
    const dir = await tempDir('owned')
    const file = join(dir, 'xcluster.config.mjs')
    await writeFile(
      file,
      `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(join(dir, 'ran'))}, ''); export` +
        ` default {}\n`,
    )
    await chown(file, OTHER_UID, OTHER_UID)
    const owned = await runCli(['env'], dir)
    expect(owned.status).toBe(1)
    expect(owned.stderr).toContain(
      `refusing the config file ${file}: ${file} is owned by uid ${OTHER_UID}, not by you or root`,
    )
    await chown(file, 0, 0)
    await chmod(file, 0o666)
    expect((await runCli(['env'], dir)).stderr).toContain(`${file} is writable by group or others (mode 666)`)
    await expect(lstat(join(dir, 'ran'))).rejects.toThrow('ENOENT')
  })

  test('a symlink planted where the state directory goes is refused, and its target is untouched', async () => {
    const dir = await tempDir('state')
    await mkdir(join(dir, 'victim'))
    await symlink(join(dir, 'victim'), join(dir, 'state'))
    await expect(ensurePrivateDir(join(dir, 'state'), 'state directory')).rejects.toThrow(
      `refusing the state directory ${dir}/state: ${dir}/state is a symbolic link`,
    )
    const mkcdrom = await runCli(['mkcdrom'], dir, { XCLUSTER_TMP: join(dir, 'state') })
    expect(mkcdrom.status).toBe(1)
    expect(mkcdrom.stderr).toContain('is a symbolic link')
  })

  test('a state directory another user made first is refused; a new one is made private', async () => {
    const dir = await tempDir('state')
    await mkdir(join(dir, 'planted'))
    await chown(join(dir, 'planted'), OTHER_UID, OTHER_UID)
    await expect(ensurePrivateDir(join(dir, 'planted', 'main'), 'state directory')).rejects.toThrow(
      `is owned by uid ${OTHER_UID}, not by you or root`,
    )
    await ensurePrivateDir(join(dir, 'fresh', 'main'), 'state directory')
    expect(((await lstat(join(dir, 'fresh', 'main'))).mode & 0o777).toString(8)).toBe('700')
    expect(((await lstat(join(dir, 'fresh'))).mode & 0o777).toString(8)).toBe('700')
  })
})

describe("the workspace CLI's compile cache (bin/private-dir.mjs)", () => {
  const PRIVATE_DIR = fileURLToPath(new URL('../../cli/bin/private-dir.mjs', import.meta.url))
  /** What privateDir answers for `dir`, asked in a plain node (the module runs before tsx can). */
  const privateDir = async (dir: string) =>
    (
      await execa('node', [
        '--input-type=module',
        '-e',
        `import { privateDir } from '${PRIVATE_DIR}'; console.log(privateDir(process.argv[1]) ?? 'refused')`,
        dir,
      ])
    ).stdout

  test('is made 0700 when missing and used', async () => {
    const dir = join(await tempDir('tsx-cache'), 'a', 'tsx')
    expect(await privateDir(dir)).toBe(dir)
    expect((await lstat(dir)).mode & 0o777).toBe(0o700)
  })

  test('is refused (every load compiles) when others can write it, it is a link, or another user owns it', async () => {
    const root = await tempDir('tsx-cache')
    const open = join(root, 'open')
    await mkdir(open)
    await chmod(open, 0o777)
    const theirs = join(root, 'theirs')
    await mkdir(theirs, { mode: 0o700 })
    await chown(theirs, OTHER_UID, OTHER_UID)
    const link = join(root, 'link')
    await symlink(join(root, 'mine'), link)
    await mkdir(join(root, 'mine'), { mode: 0o700 })
    expect([await privateDir(open), await privateDir(theirs), await privateDir(link)]).toEqual([
      'refused',
      'refused',
      'refused',
    ])
  })
})

describe('the workspace scripts that run TypeScript', () => {
  test(
    "bench and soak load it through the CLI's loader (tsx's cache in the checkout), never plain tsx with its cache" +
      ' in /tmp',
    async () => {
      const { scripts } = JSON.parse(
        await readFile(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8'),
      ) as { scripts: Record<string, string> }
      const typescript = Object.entries(scripts).filter(([, line]) => /\.ts\b/.test(line) && line.startsWith('node '))
      expect(typescript.map(([name]) => name)).toEqual(expect.arrayContaining(['bench', 'soak', 'bench:boot']))
      for (const [name, line] of typescript)
        expect([name, line]).toEqual([
          name,
          expect.stringContaining('--import ./packages/cli/bin/register-sources.mjs '),
        ])
    },
  )
})
