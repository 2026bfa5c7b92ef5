import { afterAll, describe, expect, test } from '@jest/globals'
import { removeTempDirs, tempDir } from '../../../test/support/temp-dir.js'
import { execa } from 'execa'
import { mkdir, writeFile } from 'node:fs/promises'
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
    expect(await resolveOverlay('extra', along([join(root, 'a'), join(root, 'b')]))).toEqual({ name: 'extra', path: join(root, 'b', 'extra.tar') })
  })
  test('a path relative to the working directory is used as it is', async () => {
    const root = await tempDir('ovl')
    await overlayTree(root, 'mine', { 'etc/x': 'x' })
    expect(await resolveOverlay('./mine', { ovlPath: [], cwd: root, projects: [] })).toEqual({ name: 'mine', path: join(root, 'mine') })
  })
  test('a missing overlay names every directory searched', async () => {
    await expect(resolveOverlay('nosuch', along(['/a', '/b']))).rejects.toThrow(
      'overlay nosuch not found; searched: /a, /b, and the packages xcluster-ovl-nosuch, @xcluster/ovl-nosuch, @<scope>/xcluster-ovl-nosuch (`npm i -D` one in your project)',
    )
  })
})

/** A user's project that depends on the given packages, each installed with its package.json. */
async function projectWith(packages: Record<string, object>): Promise<string> {
  const project = await tempDir('ovlpkg')
  const dependencies = Object.fromEntries(Object.keys(packages).map((name) => [name, '1.0.0']))
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'mine', dependencies }))
  for (const [name, xcluster] of Object.entries(packages)) {
    await overlayTree(join(project, 'node_modules'), name, { 'package.json': JSON.stringify({ name, version: '1.0.0', xcluster }), 'overlay/etc/motd': name })
  }
  return project
}

describe('overlay packages of the user\'s project', () => {
  const env = { path: '/usr/bin/env', debian: 'coreutils' }
  test('a name finds xcluster-ovl-NAME, @xcluster/ovl-NAME or @scope/xcluster-ovl-NAME after the overlay path', async () => {
    const project = await projectWith({ 'xcluster-ovl-a': { overlay: { dir: 'overlay' } }, '@acme/xcluster-ovl-b': { overlay: { programs: [env] } }, 'xcluster-ovl-c': {} })
    const inProject = { ovlPath: [], cwd: '/', projects: [project] }
    expect(await resolveOverlay('a', inProject)).toEqual({ name: 'a', path: join(project, 'node_modules/xcluster-ovl-a/overlay'), programs: [] })
    expect(await resolveOverlay('b', inProject)).toEqual({ name: 'b', path: undefined, programs: ['/usr/bin/env'] })
    // A package without an overlay section is not an overlay.
    await expect(resolveOverlay('c', inProject)).rejects.toThrow('overlay c not found')
  })
  test('a directory outside the package, a program path that is not plain, or a missing program says what to fix', async () => {
    const project = await projectWith({
      'xcluster-ovl-up': { overlay: { dir: '../..' } },
      'xcluster-ovl-odd': { overlay: { programs: [{ path: '/usr/bin/../bin/env', debian: 'coreutils' }] } },
      'xcluster-ovl-gone': { overlay: { programs: [{ path: '/usr/bin/xcluster-no-such-tool', debian: 'no-such-tool' }] } },
    })
    const inProject = { ovlPath: [], cwd: '/', projects: [project] }
    await expect(resolveOverlay('up', inProject)).rejects.toThrow('overlay up (xcluster-ovl-up): "xcluster.overlay.dir" must be a directory inside the package, got "../.."')
    await expect(resolveOverlay('odd', inProject)).rejects.toThrow('overlay odd (xcluster-ovl-odd): program "/usr/bin/../bin/env" must be an absolute, normalized path')
    await expect(resolveOverlay('gone', inProject)).rejects.toThrow('overlay gone (xcluster-ovl-gone) needs /usr/bin/xcluster-no-such-tool: install it with `apt-get install no-such-tool`')
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
    )
    const listing = (await execa('isoinfo', ['-f', '-R', '-i', iso])).stdout.split('\n').sort()
    expect(listing).toEqual(['/00env.tar', '/01tools.tar'])
    const out = join(root, 'out')
    await mkdir(out)
    await execa('isoinfo', ['-R', '-i', iso, '-x', '/01tools.tar'], { stdout: { file: join(out, 'tools.tar') } })
    expect(await tarEntries(join(out, 'tools.tar'))).toEqual(['usr/', 'usr/bin/', 'usr/bin/tool'])
  })
  test('an overlay with host programs carries each at its path with the libraries it loads, beside its directory', async () => {
    const root = await tempDir('cdrom')
    const tools = await overlayTree(root, 'tools', { 'etc/motd': 'hi' })
    const iso = join(root, 'state', 'cdrom.iso')
    await buildCdrom(localHost(), [{ name: 'tools', path: tools, programs: ['/usr/bin/env'] }], iso)
    const out = join(root, 'out')
    await mkdir(out)
    await execa('isoinfo', ['-R', '-i', iso, '-x', '/00tools.tar'], { stdout: { file: join(out, 'tools.tar') } })
    const entries = await tarEntries(join(out, 'tools.tar'))
    expect(entries).toEqual(expect.arrayContaining(['etc/motd', 'usr/bin/env', expect.stringMatching(/^lib.*\/libc\.so\.6$/)]))
  })
})

afterAll(removeTempDirs)
