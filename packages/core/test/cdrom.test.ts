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
    expect(await resolveOverlay('tools', [join(root, 'a'), join(root, 'b')], '/')).toEqual({ name: 'tools', path: a })
    expect(await resolveOverlay('extra', [join(root, 'a'), join(root, 'b')], '/')).toEqual({ name: 'extra', path: join(root, 'b', 'extra.tar') })
  })
  test('a path relative to the working directory is used as it is', async () => {
    const root = await tempDir('ovl')
    await overlayTree(root, 'mine', { 'etc/x': 'x' })
    expect(await resolveOverlay('./mine', [], root)).toEqual({ name: 'mine', path: join(root, 'mine') })
  })
  test('a missing overlay names every directory searched', async () => {
    await expect(resolveOverlay('nosuch', ['/a', '/b'], '/')).rejects.toThrow('overlay nosuch not found; searched: /a, /b')
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
})

afterAll(removeTempDirs)
