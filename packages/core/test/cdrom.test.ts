import { afterAll, describe, expect, test } from '@jest/globals'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { execa } from 'execa'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { list } from 'tar'
import { localHost } from '../src/host/host.js'
import { buildCdrom } from '../src/overlay/cdrom.js'
import { packDirectory } from '../src/overlay/tar-file.js'
import { resolveOverlay } from '../src/overlay/resolve-overlay.js'

async function overlayTree(root: string, name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name)
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), content)
  }
  return dir
}

const along = (ovlPath: string[]) => ({ ovlPath, cwd: '/', projects: [] })

async function tarEntries(file: string): Promise<string[]> {
  const entries: string[] = []
  await list({ file, onReadEntry: (entry) => void entries.push(entry.path) })
  return entries
}

describe('overlays are found along the overlay path', () => {
  test('by name as a directory or a .tar file, first match wins', async () => {
    const root = await tempDir('ovl')
    const a = await overlayTree(join(root, 'a'), 'tools', { 'bin/x': 'x' })
    await overlayTree(join(root, 'b'), 'tools', { 'bin/y': 'y' })
    await mkdir(join(root, 'b'), { recursive: true })
    await packDirectory(a, join(root, 'b', 'extra.tar'))
    expect(await resolveOverlay('tools', along([join(root, 'a'), join(root, 'b')]))).toEqual({ name: 'tools', path: a })
    expect(await resolveOverlay('extra', along([join(root, 'a'), join(root, 'b')]))).toEqual({
      name: 'extra',
      path: join(root, 'b', 'extra.tar'),
    })
  })
  test('a path relative to the working directory is used as it is', async () => {
    const root = await tempDir('ovl')
    await overlayTree(root, 'mine', { 'etc/x': 'x' })
    expect(await resolveOverlay('./mine', { ovlPath: [], cwd: root, projects: [] })).toEqual({
      name: 'mine',
      path: join(root, 'mine'),
    })
  })
  test('a missing overlay names every directory searched', async () => {
    await expect(resolveOverlay('nosuch', along(['/a', '/b']))).rejects.toThrow(
      'overlay nosuch not found; searched: /a, /b, and the packages xcluster-ovl-nosuch, @xcluster/ovl-nosuch,' +
        ' @<scope>/xcluster-ovl-nosuch (`npm i -D` one in your project)',
    )
  })
})

/** A user's project that depends on the given packages, each installed with its package.json. */
async function projectWith(packages: Record<string, object>): Promise<string> {
  const project = await tempDir('ovlpkg')
  const dependencies = Object.fromEntries(Object.keys(packages).map((name) => [name, '1.0.0']))
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'mine', dependencies }))
  for (const [name, xcluster] of Object.entries(packages)) {
    await overlayTree(join(project, 'node_modules'), name, {
      'package.json': JSON.stringify({ name, version: '1.0.0', xcluster }),
      'overlay/etc/motd': name,
    })
  }
  return project
}

describe("overlay packages of the user's project", () => {
  const env = { path: '/usr/bin/env', debian: 'coreutils' }
  test('a name finds xcluster-ovl-NAME, @xcluster/ovl-NAME, @scope/xcluster-ovl-NAME after ovlPath', async () => {
    const project = await projectWith({
      'xcluster-ovl-a': { overlay: { dir: 'overlay' } },
      '@acme/xcluster-ovl-b': { overlay: { programs: [env] } },
      'xcluster-ovl-c': {},
    })
    const inProject = { ovlPath: [], cwd: '/', projects: [project] }
    expect(await resolveOverlay('a', inProject)).toEqual({
      name: 'a',
      path: join(project, 'node_modules/xcluster-ovl-a/overlay'),
      programs: [],
    })
    expect(await resolveOverlay('b', inProject)).toEqual({ name: 'b', path: undefined, programs: ['/usr/bin/env'] })
    // A package without an overlay section is not an overlay.
    await expect(resolveOverlay('c', inProject)).rejects.toThrow('overlay c not found')
  })
  test('a directory outside the package, a program path not plain, or a missing program says what to fix', async () => {
    const project = await projectWith({
      'xcluster-ovl-up': { overlay: { dir: '../..' } },
      'xcluster-ovl-odd': { overlay: { programs: [{ path: '/usr/bin/../bin/env', debian: 'coreutils' }] } },
      'xcluster-ovl-gone': {
        overlay: { programs: [{ path: '/usr/bin/xcluster-no-such-tool', debian: 'no-such-tool' }] },
      },
    })
    const inProject = { ovlPath: [], cwd: '/', projects: [project] }
    await expect(resolveOverlay('up', inProject)).rejects.toThrow(
      'overlay up (xcluster-ovl-up): "xcluster.overlay.dir" must be a directory inside the package, got "../.."',
    )
    await expect(resolveOverlay('odd', inProject)).rejects.toThrow(
      'overlay odd (xcluster-ovl-odd): program "/usr/bin/../bin/env" must be an absolute, normalized path',
    )
    await expect(resolveOverlay('gone', inProject)).rejects.toThrow(
      'overlay gone (xcluster-ovl-gone) needs /usr/bin/xcluster-no-such-tool: install it with `apt-get install' +
        ' no-such-tool`',
    )
  })
})

describe('the cdrom', () => {
  test('holds the overlays as 00name.tar, 01name.tar... in the order given, duplicates removed', async () => {
    const root = await tempDir('cdrom')
    const tools = await overlayTree(root, 'tools', { 'usr/bin/tool': '#!/bin/sh\n' })
    const iso = join(root, 'state', 'cdrom.iso')
    await buildCdrom(
      localHost(),
      [
        { name: 'env', files: { 'etc/xcluster/env': { content: 'A=1\n' } } },
        { name: 'tools', path: tools },
        { name: 'tools', path: tools },
      ],
      iso,
      {},
    )
    const listing = (await execa('isoinfo', ['-f', '-R', '-i', iso])).stdout.split('\n').sort()
    expect(listing).toEqual(['/00env.tar', '/01tools.tar'])
    const out = join(root, 'out')
    await mkdir(out)
    await execa('isoinfo', ['-R', '-i', iso, '-x', '/01tools.tar'], { stdout: { file: join(out, 'tools.tar') } })
    expect(await tarEntries(join(out, 'tools.tar'))).toEqual(['usr/', 'usr/bin/', 'usr/bin/tool'])
  })
  test('an overlay with host programs carries each at its path with its libraries, beside its directory', async () => {
    const root = await tempDir('cdrom')
    const tools = await overlayTree(root, 'tools', { 'etc/motd': 'hi' })
    const iso = join(root, 'state', 'cdrom.iso')
    await buildCdrom(localHost(), [{ name: 'tools', path: tools, programs: ['/usr/bin/env'] }], iso, {})
    const out = join(root, 'out')
    await mkdir(out)
    await execa('isoinfo', ['-R', '-i', iso, '-x', '/00tools.tar'], { stdout: { file: join(out, 'tools.tar') } })
    const entries = await tarEntries(join(out, 'tools.tar'))
    expect(entries).toEqual(
      expect.arrayContaining(['etc/motd', 'usr/bin/env', expect.stringMatching(/^lib.*\/libc\.so\.6$/)]),
    )
  })
})

/** The tar of one overlay on a cdrom, extracted to `out`. */
async function tarOnCdrom(iso: string, entry: string, out: string): Promise<string[]> {
  await mkdir(out, { recursive: true })
  const file = join(out, entry)
  await execa('isoinfo', ['-R', '-i', iso, '-x', `/${entry}`], { stdout: { file } })
  return tarEntries(file)
}

/**
 * An overlay in the shell tool's form: README.md, default/, and a `tar` script that packs default/ plus what its
 * environment says.
 */
async function shellToolOverlay(root: string, name: string, script: string): Promise<string> {
  const dir = await overlayTree(root, name, { 'README.md': '# test\n', 'default/etc/init.d/30x.rc': '#!/bin/sh\n' })
  await writeFile(join(dir, 'tar'), script)
  await chmod(join(dir, 'tar'), 0o755)
  return dir
}

describe("overlays in the shell tool's form", () => {
  const PACK_DEFAULT = `#!/bin/sh
tmp=$(mktemp -d)
cp -R "$(dirname "$0")/default/." "$tmp"
echo "setup=$SETUP nvm=$__nvm own=$__myvar" > "$tmp/etc/seen"
echo "INFO: packing" >&2
cd "$tmp" && tar cf "$1" * && cd / && rm -rf "$tmp"
`
  test(
    'a directory with an executable tar is packed by running `tar <out-file>`, which sees SETUP, the settings as' +
      " __* and the user's own __*",
    async () => {
      const root = await tempDir('shovl')
      const dir = await shellToolOverlay(root, 'mine', PACK_DEFAULT)
      const overlay = await resolveOverlay('mine', along([root]))
      expect(overlay).toEqual({ name: 'mine', tarScript: join(dir, 'tar') })
      const iso = join(root, 'state', 'cdrom.iso')
      await buildCdrom(localHost(), [overlay], iso, {
        PATH: process.env.PATH!,
        SETUP: 'test',
        __nvm: '3',
        __myvar: 'x',
      })
      const out = join(root, 'out')
      expect((await tarOnCdrom(iso, '00mine.tar', out)).sort()).toEqual([
        'etc/',
        'etc/init.d/',
        'etc/init.d/30x.rc',
        'etc/seen',
      ])
      await execa('tar', ['-C', out, '-xf', join(out, '00mine.tar'), 'etc/seen'])
      expect((await execa('cat', [join(out, 'etc/seen')])).stdout).toBe('setup=test nvm=3 own=x')
    },
  )
  test('a failing tar script stops the cdrom naming the overlay, its exit status, stderr; no cdrom left', async () => {
    const root = await tempDir('shovl')
    await shellToolOverlay(root, 'broken', '#!/bin/sh\necho "ERROR: no coredns binary" >&2\nexit 3\n')
    const iso = join(root, 'state', 'cdrom.iso')
    const build = buildCdrom(localHost(), [await resolveOverlay('broken', along([root]))], iso, {
      PATH: process.env.PATH!,
    })
    await expect(build).rejects.toThrow(
      `overlay broken: ${join(root, 'broken', 'tar')} failed (exit status 3): ERROR: no coredns binary`,
    )
    await expect(execa('ls', [iso])).rejects.toThrow()
  })
  test('a script that writes nothing is an error too', async () => {
    const root = await tempDir('shovl')
    await shellToolOverlay(root, 'silent', '#!/bin/sh\nexit 0\n')
    const build = buildCdrom(
      localHost(),
      [await resolveOverlay('silent', along([root]))],
      join(root, 'state', 'cdrom.iso'),
      { PATH: process.env.PATH! },
    )
    await expect(build).rejects.toThrow('wrote no tar file')
  })
  test('tar files compressed with xz, gzip or bzip2 are found by name and read by their content', async () => {
    const root = await tempDir('shovl')
    const tree = await overlayTree(root, 'tree', { 'etc/compressed': 'yes' })
    const plain = join(root, 'plain.tar')
    await packDirectory(tree, plain)
    const ovl = join(root, 'ovl')
    await mkdir(ovl)
    await execa('sh', [
      '-c',
      `xz -c ${plain} > ${ovl}/a.tar.xz && gzip -c ${plain} > ${ovl}/b.tgz && bzip2 -c ${plain} > ${ovl}/c.tar.bz2 &&` +
        ` gzip -c ${plain} > ${ovl}/d.tar.xz`,
    ])
    const overlays = await Promise.all(['a', 'b', 'c', 'd'].map((name) => resolveOverlay(name, along([ovl]))))
    expect(overlays.map((o) => o.path)).toEqual([
      `${ovl}/a.tar.xz`,
      `${ovl}/b.tgz`,
      `${ovl}/c.tar.bz2`,
      `${ovl}/d.tar.xz`,
    ])
    const iso = join(root, 'state', 'cdrom.iso')
    await buildCdrom(localHost(), overlays, iso, {})
    for (const entry of ['00a.tar', '01b.tar', '02c.tar', '03d.tar'])
      expect(await tarOnCdrom(iso, entry, join(root, 'out'))).toContain('etc/compressed')
  })
  test('a file given as an overlay that is no tar is refused, naming it', async () => {
    const root = await tempDir('shovl')
    await writeFile(join(root, 'notes.tar.gz'), 'just text')
    const overlay = await resolveOverlay(join(root, 'notes.tar.gz'), along([]))
    expect(overlay.name).toBe('notes')
    await expect(buildCdrom(localHost(), [overlay], join(root, 'state', 'cdrom.iso'), {})).rejects.toThrow(
      `overlay notes: ${join(root, 'notes.tar.gz')} is not a tar file, plain or compressed with gzip, xz or bzip2`,
    )
  })
})

afterAll(removeTempDirs)
