import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { copyUnder, parseLoaderList, sharedLibraries, systemLoader } from '../src/shared-libraries.js'

const dirs: string[] = []
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'xcluster-libs-'))
  dirs.push(dir)
  return dir
}
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))

describe('the shared libraries of a program, as the loader resolves them', () => {
  test('socat needs several, each at its path, the loader among them', async () => {
    const { paths, missing } = await sharedLibraries('/usr/bin/socat')
    expect(missing).toEqual([])
    for (const lib of ['libssl.so.3', 'libcrypto.so.3', 'libwrap.so.0', 'libc.so.6'])
      expect(paths).toContainEqual(expect.stringMatching(new RegExp(`^/.*/${lib.replace(/\./g, '\\.')}$`)))
    expect(paths).toContain(await systemLoader())
  })

  test('a static program needs none; a file that is not ELF or not there is an error naming it', async () => {
    expect(await sharedLibraries('/bin/busybox')).toEqual({ paths: [], missing: [] })
    await expect(sharedLibraries('/etc/passwd')).rejects.toThrow('/etc/passwd is not an ELF program or library')
    await expect(sharedLibraries('/no/such/program')).rejects.toThrow('ENOENT')
  })

  test('a library the loader cannot find is named, the others kept', () => {
    const listed = [
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibgone.so.7 => not found',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f66)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f66)',
    ].join('\n')
    expect(parseLoaderList(listed)).toEqual({
      paths: ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'],
      missing: ['libgone.so.7'],
    })
  })
})

describe('copying a file to its path under a directory', () => {
  test('makes the directories on the way and replaces a file there', async () => {
    const root = await tempDir()
    await copyUnder(root, '/etc/hostname')
    await copyUnder(root, '/etc/hostname')
    expect(await readFile(join(root, 'etc/hostname'), 'utf8')).toBe(await readFile('/etc/hostname', 'utf8'))
  })

  test('never writes through a symbolic link on the way', async () => {
    const [root, elsewhere] = [await tempDir(), await tempDir()]
    await mkdir(join(elsewhere, 'etc'))
    await writeFile(join(elsewhere, 'etc', 'hostname'), 'keep me')
    await symlink(join(elsewhere, 'etc'), join(root, 'etc'))
    await expect(copyUnder(root, '/etc/hostname')).rejects.toThrow('is not a directory (a link?)')
    expect(await readFile(join(elsewhere, 'etc', 'hostname'), 'utf8')).toBe('keep me')
  })
})
