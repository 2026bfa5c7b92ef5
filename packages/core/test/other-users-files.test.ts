import { afterAll, describe, expect, test } from '@jest/globals'
import { chmod, chown, lchown, lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensurePrivateDir } from '../src/host/trusted-path.js'
import { writeUserFile } from '../src/host/user-file.js'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from './cli-run.js'
import { OtherUser } from '@xcluster/test-support/other-user'

// Another user of the machine, who owns what an attacker planted.
const OTHER_UID = 4242

afterAll(removeTempDirs)

/** A package that leaves a mark when its code runs. */
async function plantPackage(nodeModules: string, name: string, mark: string): Promise<void> {
  await mkdir(join(nodeModules, name), { recursive: true })
  await writeFile(
    join(nodeModules, name, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.js' }),
  )
  await writeFile(
    join(nodeModules, name, 'index.js'),
    `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(mark)}, 'ran'); export default {}\n`,
  )
}

const ran = (mark: string) =>
  lstat(mark).then(
    () => true,
    () => false,
  )

describe('code is never imported from a node_modules another user can write', () => {
  test('a config that imports a package planted in a parent node_modules is refused before anything runs', async () => {
    const top = await tempDir('planted')
    const mark = join(top, 'ran')
    await plantPackage(join(top, 'node_modules'), 'xc-probe', mark)
    await chown(join(top, 'node_modules'), OTHER_UID, OTHER_UID)
    const project = join(top, 'project')
    await mkdir(project)
    await writeFile(join(project, 'package.json'), '{"type":"module"}')
    await writeFile(join(project, 'xcluster.config.mjs'), "import 'xc-probe'\nexport default {}\n")
    const result = await runCli(['env'], project)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      `what it imports is looked up in ${top}/node_modules too, where ${top}/node_modules is owned by uid ${OTHER_UID}`,
    )
    expect(result.stderr).toContain('xc-probe')
    expect(await ran(mark)).toBe(false)
  })

  test('once the project has its own copy of each planted name, the config loads and only its copy runs', async () => {
    const top = await tempDir('planted')
    await plantPackage(join(top, 'node_modules'), 'xc-probe', join(top, 'planted-ran'))
    await chown(join(top, 'node_modules'), OTHER_UID, OTHER_UID)
    const project = join(top, 'project')
    await plantPackage(join(project, 'node_modules'), 'xc-probe', join(top, 'own-ran'))
    await writeFile(join(project, 'package.json'), '{"type":"module"}')
    await writeFile(join(project, 'xcluster.config.mjs'), "import 'xc-probe'\nexport default {}\n")
    expect((await runCli(['env'], project)).status).toBe(0)
    expect([await ran(join(top, 'own-ran')), await ran(join(top, 'planted-ran'))]).toEqual([true, false])
  })

  test('a hook module (XCLUSTER_HOOK) is held to the same rule', async () => {
    const top = await tempDir('planted')
    const mark = join(top, 'ran')
    await plantPackage(join(top, 'node_modules'), '@xcluster/core', mark)
    await chmod(join(top, 'node_modules'), 0o777)
    const work = join(top, 'work')
    await mkdir(work)
    await writeFile(join(work, 'hook.mjs'), "import '@xcluster/core'\nexport const plugins = []\n")
    const result = await runCli(['status'], work, { XCLUSTER_HOOK: 'hook.mjs' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(`${top}/node_modules is writable by group or others (mode 777)`)
    expect(await ran(mark)).toBe(false)
  })

  test('a Node built-in named as a plugin is refused by name', async () => {
    const dir = await tempDir('builtin')
    await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ plugins: ['fs'] }))
    const result = await runCli(['env'], dir)
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringContaining('fs is a module of Node itself, not a package'),
    ])
  })

  test('a plugin package planted in a parent node_modules is passed over: --help and stop still work', async () => {
    const top = await tempDir('planted')
    const mark = join(top, 'ran')
    await plantPackage(join(top, 'node_modules'), 'xcluster-plugin-evil', mark)
    const manifest = join(top, 'node_modules', 'xcluster-plugin-evil', 'package.json')
    await writeFile(
      manifest,
      JSON.stringify({
        name: 'xcluster-plugin-evil',
        version: '1.0.0',
        type: 'module',
        main: 'index.js',
        xcluster: { provides: ['dns'], default: { where: 'everywhere' }, commands: ['evil'] },
      }),
    )
    await chown(join(top, 'node_modules', 'xcluster-plugin-evil', 'package.json'), OTHER_UID, OTHER_UID)
    const project = join(top, 'project')
    await mkdir(project)
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ type: 'module', devDependencies: { 'xcluster-plugin-evil': '^1.0.0' } }),
    )
    const help = await runCli(['--help'], project)
    expect([help.status, help.stderr]).toEqual([
      0,
      expect.stringContaining('passed over: refusing the plugin package xcluster-plugin-evil'),
    ])
    expect(help.stdout).toContain('Usage: xcluster')
    const stop = await runCli(['stop'], project, { XCLUSTER_TMP: join(top, 'state') })
    expect(stop.status).toBe(0)
    expect(await ran(mark)).toBe(false)
  })
})

describe('the config search and the files named in it', () => {
  test('a package.json in a parent others can write makes no project: its config is not read', async () => {
    const shared = await tempDir('shared')
    await chmod(shared, 0o1777)
    await writeFile(join(shared, 'package.json'), '{}')
    await writeFile(join(shared, 'xcluster.config.json'), JSON.stringify({ nodes: 9 }))
    await mkdir(join(shared, 'mine'))
    const env = await runCli(['env', '--json'], join(shared, 'mine'))
    expect([env.status, JSON.parse(env.stdout).nodes]).toEqual([0, 4])
  })

  test("a config that is another user's symbolic link is refused, even to a file of root's", async () => {
    const dir = await tempDir('link')
    await writeFile(join(dir, 'real.json'), JSON.stringify({ nodes: 3 }))
    await symlink(join(dir, 'real.json'), join(dir, 'xcluster.config.json'))
    await lchown(join(dir, 'xcluster.config.json'), OTHER_UID, OTHER_UID)
    const env = await runCli(['env'], dir)
    expect([env.status, env.stderr]).toEqual([
      1,
      expect.stringContaining(`${dir}/xcluster.config.json is a symbolic link of uid ${OTHER_UID}`),
    ])
  })

  test('an overlay another user can change is refused, naming it', async () => {
    const dir = await tempDir('overlay')
    await mkdir(join(dir, 'ovl', 'theirs', 'etc'), { recursive: true })
    await chown(join(dir, 'ovl', 'theirs'), OTHER_UID, OTHER_UID)
    const result = await runCli(['mkcdrom', 'theirs'], dir, {
      XCLUSTER_OVLPATH: join(dir, 'ovl'),
      XCLUSTER_TMP: join(dir, 'state'),
    })
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringContaining(`refusing the overlay ${dir}/ovl/theirs: ${dir}/ovl/theirs is owned by uid ${OTHER_UID}`),
    ])
  })
})

describe('state directories', () => {
  test("a parent that is another user's link is refused and nothing is made at its target", async () => {
    const dir = await tempDir('state')
    await mkdir(join(dir, 'target'))
    await symlink(join(dir, 'target'), join(dir, 'link'))
    await lchown(join(dir, 'link'), OTHER_UID, OTHER_UID)
    await expect(ensurePrivateDir(join(dir, 'link', 'a', 'main'), 'state directory')).rejects.toThrow(
      `${dir}/link is a symbolic link of uid ${OTHER_UID}`,
    )
    expect(await readdir(join(dir, 'target'))).toEqual([])
  })

  test("a state directory inside another user's tree is refused before anything is made there", async () => {
    await OtherUser.during('state', async (other) => {
      const dir = await tempDir('state')
      await chmod(dir, 0o1777)
      const theirs = join(dir, 'theirs')
      expect((await other.run('mkdir', ['-m', '0755', theirs])).exitCode).toBe(0)
      const result = await runCli(['mkcdrom'], dir, { XCLUSTER_TMP: join(theirs, 'a', 'main') })
      expect([result.status, result.stderr]).toEqual([
        1,
        expect.stringContaining(`${theirs} is owned by uid ${other.uid}, not by you or root`),
      ])
      expect(await readdir(theirs)).toEqual([])
      const dest = await runCli(['cplib', `--dest=${join(theirs, 'lib')}`, '/bin/ls'], dir)
      expect([dest.status, await readdir(theirs)]).toEqual([1, []])
    })
  })

  test('stop in a directory xcluster did not make removes nothing; start-side commands refuse it', async () => {
    const dir = await tempDir('state')
    const work = join(dir, 'work')
    await mkdir(work, { mode: 0o700 })
    const files = ['Corefile', 'dns.json', 'vm-001.log', 'cdrom.iso', 'nodes.json', 'notes.txt']
    for (const file of files) await writeFile(join(work, file), 'mine\n')
    const stop = await runCli(['stop'], dir, { XCLUSTER_TMP: work })
    expect(stop.status).toBe(0)
    expect((await readdir(work)).sort()).toEqual([...files].sort())
    const mkcdrom = await runCli(['mkcdrom'], dir, { XCLUSTER_TMP: work })
    expect([mkcdrom.status, mkcdrom.stderr]).toEqual([
      1,
      expect.stringContaining(`refusing the state directory ${work}: it holds files xcluster did not make`),
    ])
    expect((await readdir(work)).sort()).toEqual([...files].sort())
  })
})

describe('files the user names are replaced whole, never written through a link', () => {
  test("another user's link at the output path is replaced, its target untouched", async () => {
    const dir = await tempDir('output')
    await writeFile(join(dir, 'victim'), 'precious\n')
    await symlink(join(dir, 'victim'), join(dir, 'out.pcap'))
    await writeUserFile(join(dir, 'out.pcap'), (file) => file.writeFile('capture'))
    expect(await readFile(join(dir, 'victim'), 'utf8')).toBe('precious\n')
    expect(await readFile(join(dir, 'out.pcap'), 'utf8')).toBe('capture')
    expect((await lstat(join(dir, 'out.pcap'))).isSymbolicLink()).toBe(false)
  })

  test('a file replaced keeps its mode: a private capture stays private; a new one is 0644', async () => {
    const dir = await tempDir('output')
    await writeFile(join(dir, 'private.pcap'), 'old', { mode: 0o600 })
    await writeUserFile(join(dir, 'private.pcap'), (file) => file.writeFile('capture'))
    await writeUserFile(join(dir, 'new.pcap'), (file) => file.writeFile('capture'))
    expect([
      (await lstat(join(dir, 'private.pcap'))).mode & 0o777,
      (await lstat(join(dir, 'new.pcap'))).mode & 0o777,
    ]).toEqual([0o600, 0o644])
  })

  test('a failed write leaves the old file as it was and nothing beside it', async () => {
    const dir = await tempDir('output')
    await writeFile(join(dir, 'out.pcap'), 'old capture')
    await expect(
      writeUserFile(join(dir, 'out.pcap'), async (file) => {
        await file.writeFile('half')
        throw new Error('ssh failed')
      }),
    ).rejects.toThrow('ssh failed')
    expect(await readFile(join(dir, 'out.pcap'), 'utf8')).toBe('old capture')
    expect(await readdir(dir)).toEqual(['out.pcap'])
  })

  test("a directory on the way that is another user's link is refused", async () => {
    const dir = await tempDir('output')
    await mkdir(join(dir, 'elsewhere'))
    await symlink(join(dir, 'elsewhere'), join(dir, 'captures'))
    await lchown(join(dir, 'captures'), OTHER_UID, OTHER_UID)
    await expect(writeUserFile(join(dir, 'captures', 'a.pcap'), (file) => file.writeFile('x'))).rejects.toThrow(
      `${dir}/captures is a symbolic link of uid ${OTHER_UID}`,
    )
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([])
  })
})

describe('a kernel build runs nothing another user could have written', () => {
  test('a kernel tree, a config or an objects directory of another user is refused before make runs', async () => {
    const top = await tempDir('kernel-build')
    const tree = join(top, 'linux')
    const mark = join(top, 'ran')
    await mkdir(tree)
    await writeFile(join(tree, 'Makefile'), `kernelversion:\n\ttouch ${mark}; echo 6.1.0\n`)
    await chown(join(tree, 'Makefile'), OTHER_UID, OTHER_UID)
    const fromTree = await runCli(['kernel', 'build', `--source=${tree}`, `--workspace=${join(top, 'ws')}`], top)
    expect(fromTree.status).toBe(1)
    expect(fromTree.stderr).toContain(`refusing the kernel tree ${tree}: ${tree}/Makefile is owned by uid ${OTHER_UID}`)

    const config = join(top, 'planted.config')
    await writeFile(config, 'CONFIG_INITRAMFS_SOURCE="/root"\n')
    await chown(config, OTHER_UID, OTHER_UID)
    const withConfig = await runCli(['kernel', 'build', `--kcfg=${config}`, `--workspace=${join(top, 'ws')}`], top)
    expect(withConfig.status).toBe(1)
    expect(withConfig.stderr).toContain(`refusing the kernel config ${config}: ${config} is owned by uid ${OTHER_UID}`)

    const objects = join(top, 'objects')
    await mkdir(objects)
    await chown(objects, OTHER_UID, OTHER_UID)
    const inObjects = await runCli(['kernel', 'build', `--kobj=${objects}`, `--workspace=${join(top, 'ws')}`], top)
    expect(inObjects.status).toBe(1)
    expect(inObjects.stderr).toContain(
      `refusing the kernel objects directory ${objects}: ${objects} is owned by uid ${OTHER_UID}`,
    )
    expect(await ran(mark)).toBe(false)
    expect(await readdir(top)).not.toContain('ws')
  })

  test("another user's lock beside --kobj=DIR holds no build back: the lock is inside DIR", async () => {
    await OtherUser.during('kobj', async (other) => {
      const top = await tempDir('kernel')
      await chmod(top, 0o1777)
      const tree = join(top, 'linux')
      await mkdir(tree)
      await writeFile(join(tree, 'Makefile'), 'kernelversion:\n\techo 6.1.0\n%:\n\tfalse\n')
      const objects = join(top, 'objects')
      // Planted before root's first build, with a pid that lives: the old lock's place.
      expect((await other.run('sh', ['-c', 'echo 1 > "$1"', 'sh', `${objects}.lock`])).exitCode).toBe(0)
      const build = await runCli(
        ['kernel', 'build', `--source=${tree}`, `--kobj=${objects}`, `--workspace=${join(top, 'ws')}`],
        top,
      )
      expect(build.stderr).not.toContain('another kernel build')
      expect(await readdir(objects)).not.toContain('.xcluster-build.lock')
    })
  })
})
