import { afterEach, describe, expect, test } from '@jest/globals'
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { OtherUser } from '@xcluster/test-support/other-user'
import { join } from 'node:path'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from './cli-run.js'

afterEach(removeTempDirs)

const json = async (file: string) => JSON.parse(await readFile(file, 'utf8'))

describe('xcluster init', () => {
  test('an empty directory gets an ESM package.json with scripts, a strict tsconfig.json, a typed config', async () => {
    const dir = join(await tempDir('init'), 'My Cluster')
    const result = await runCli(['init', 'My Cluster'], join(dir, '..'))
    expect(result.status).toBe(0)
    expect((await readdir(dir)).sort()).toEqual(['package.json', 'tsconfig.json', 'xcluster.config.ts'])
    const pkg = await json(join(dir, 'package.json'))
    expect([pkg.name, pkg.type, pkg.scripts]).toEqual([
      'my-cluster',
      'module',
      { start: 'xcluster start', stop: 'xcluster stop', status: 'xcluster status' },
    ])
    expect(Object.keys(pkg.devDependencies).sort()).toEqual([
      '@types/node',
      '@xcluster/cli',
      '@xcluster/core',
      'typescript',
    ])
    // plugins/ JavaScript is taken in: a file with // @ts-check (the README's plugin) is checked.
    expect(await json(join(dir, 'tsconfig.json'))).toMatchObject({
      compilerOptions: { strict: true, module: 'NodeNext', allowJs: true },
      include: expect.arrayContaining(['plugins']),
    })
    expect(await readFile(join(dir, 'xcluster.config.ts'), 'utf8')).toMatch(
      /export default defineConfig\(\{\n {2}\/\/ Nodes vm-001/,
    )
  })

  test('an existing project is completed, never overwritten: its scripts, dependencies and files stay', async () => {
    const dir = await tempDir('init')
    const mine = {
      name: 'mine',
      type: 'commonjs',
      scripts: { start: 'node server.js' },
      dependencies: { typescript: '5.8.0' },
    }
    await writeFile(join(dir, 'package.json'), JSON.stringify(mine))
    await writeFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": {} }')
    const result = await runCli(['init'], dir)
    expect(result.stdout).toMatch(/completed: package.json\n {2}kept as they were: tsconfig.json/)
    const pkg = await json(join(dir, 'package.json'))
    expect(pkg).toMatchObject({
      ...mine,
      scripts: { start: 'node server.js', stop: 'xcluster stop', status: 'xcluster status' },
    })
    expect(pkg.devDependencies).not.toHaveProperty('typescript')
    expect(await readFile(join(dir, 'tsconfig.json'), 'utf8')).toBe('{ "compilerOptions": {} }')
    // Not ESM: the config is an .mts file, so its imports stay ES imports.
    expect((await readdir(dir)).sort()).toEqual(['package.json', 'tsconfig.json', 'xcluster.config.mts'])
    const again = await runCli(['init'], dir)
    expect(again.stdout).toMatch(/kept as they were: package.json, tsconfig.json, xcluster.config.mts/)
  })

  test('a package.json that is not JSON is named, and nothing is written', async () => {
    const dir = await tempDir('init')
    await writeFile(join(dir, 'package.json'), '{ "name": ')
    const result = await runCli(['init'], dir)
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringMatching(
        new RegExp(
          `^xcluster init: ${dir}/package.json is not a package.json xcluster init can complete \\(fix it, then run` +
            ` \`xcluster init\` again; nothing was changed\\): not JSON \\(.*\\)\n$`,
        ),
      ),
    ])
    expect(await readdir(dir)).toEqual(['package.json'])
  })

  test('a file in place of the directory is refused', async () => {
    const dir = await tempDir('init')
    await writeFile(join(dir, 'file'), '')
    const result = await runCli(['init', 'file'], dir)
    expect([result.status, result.stderr]).toEqual([
      1,
      `xcluster init: ${dir}/file is not a directory: name a directory (made when missing), or none for the working` +
        ` directory\n`,
    ])
  })

  test("another user's directory, or their link as package.json, is refused; nothing is read or written", async () => {
    await OtherUser.during('init', async (other) => {
      const top = await tempDir('init')
      await chmod(top, 0o1777)
      const secret = join(top, 'secret.json')
      await writeFile(secret, '{"token": "root-only"}', { mode: 0o600 })
      const theirs = join(top, 'theirs')
      expect((await other.run('mkdir', ['-m', '0777', theirs])).exitCode).toBe(0)
      expect((await other.run('ln', ['-s', secret, join(theirs, 'package.json')])).exitCode).toBe(0)
      const intoTheirs = await runCli(['init', theirs], top)
      expect([intoTheirs.status, intoTheirs.stderr]).toEqual([
        1,
        expect.stringContaining(`${theirs} is owned by uid ${other.uid}, not by you`),
      ])
      expect((await readdir(theirs)).sort()).toEqual(['package.json'])
      // In a directory of root's that others may write into, their link is refused all the same.
      const shared = join(top, 'shared')
      await mkdir(shared)
      await chmod(shared, 0o1777)
      const planted = join(shared, 'package.json')
      expect((await other.run('ln', ['-s', secret, planted])).exitCode).toBe(0)
      const throughLink = await runCli(['init', 'shared'], top)
      expect([throughLink.status, throughLink.stderr]).toEqual([
        1,
        expect.stringContaining(`${planted} is a symbolic link`),
      ])
      expect(await readdir(shared)).toEqual(['package.json'])
      expect(await readFile(secret, 'utf8')).toBe('{"token": "root-only"}')
    })
  })
})
