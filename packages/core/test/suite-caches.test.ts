import { afterAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { copyFile, lstat, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { WORKSPACE } from '@xcluster/test-support/packed-workspace'
import { OtherUser } from '@xcluster/test-support/other-user'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'

afterAll(removeTempDirs)

const jestConfig = async (cwd: string) =>
  execa(
    'node',
    ['--input-type=module', '-e', "console.log(JSON.stringify((await import('./jest.config.mjs')).default))"],
    {
      cwd,
      reject: false,
    },
  )

/** A checkout's jest config with what it imports, in a fresh directory. */
async function checkoutCopy(): Promise<string> {
  const dir = await tempDir('jest-cache')
  await mkdir(join(dir, 'packages/cli/bin'), { recursive: true })
  await copyFile(join(WORKSPACE, 'jest.config.mjs'), join(dir, 'jest.config.mjs'))
  await copyFile(join(WORKSPACE, 'packages/cli/bin/private-dir.mjs'), join(dir, 'packages/cli/bin/private-dir.mjs'))
  return dir
}

describe("the suite's compiled test code is cached where only its user can write", () => {
  test('every project caches in the checkout, in a directory of mode 0700 of yours, never in /tmp', async () => {
    const { stdout } = await jestConfig(WORKSPACE)
    const config = JSON.parse(stdout) as { projects: { cacheDirectory: string }[] }
    const dirs = new Set(config.projects.map((project) => project.cacheDirectory))
    expect([...dirs]).toEqual([join(WORKSPACE, 'node_modules/.cache/jest')])
    const s = await lstat([...dirs][0])
    expect([s.isDirectory(), s.uid, s.mode & 0o777]).toEqual([true, process.geteuid?.(), 0o700])
  })

  test('a cache directory another user made first stops the suite before any test runs', async () => {
    await OtherUser.during('jestc', async (other) => {
      const dir = await checkoutCopy()
      await execa('chmod', ['755', dir])
      await mkdir(join(dir, 'node_modules'), { mode: 0o1777 })
      await execa('chmod', ['1777', join(dir, 'node_modules')])
      expect((await other.run('mkdir', ['-p', '-m', '0700', join(dir, 'node_modules/.cache/jest')])).exitCode).toBe(0)
      const result = await jestConfig(dir)
      expect(result.exitCode).not.toBe(0)
      expect(result.stderr).toContain(`jest's cache ${dir}/node_modules/.cache/jest must be a directory of yours`)
    })
  })
})
