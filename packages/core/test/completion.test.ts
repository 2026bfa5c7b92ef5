import { afterAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { completeInBash, xclusterOnPath } from '@xcluster/test-support/bash-completion'
import { OtherUser } from '@xcluster/test-support/other-user'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'

afterAll(removeTempDirs)

/** What bash offers after `line` when Tab is pressed, through `xcluster completion bash`. */
async function offered(line: string, env: Record<string, string> = {}, dir?: string): Promise<string[]> {
  const cwd = dir ?? (await tempDir('completion'))
  const { stdout } = await execa('bash', ['-c', completeInBash(line)], {
    cwd,
    env: { PATH: await xclusterOnPath(cwd), HOME: cwd, ...env },
  })
  return stdout.split('\n').filter(Boolean)
}

describe('shell completion', () => {
  test('bash completes command names, those of packages too', async () => {
    expect(await offered('xcluster st')).toEqual(['start', 'stop', 'status', 'stop-vm'])
    expect(await offered('xcluster top')).toEqual(['topology'])
  })

  test("bash completes a command's flags, then the settings", async () => {
    expect(await offered('xcluster start --dr')).toEqual(['--dry-run'])
    expect(await offered('xcluster start --nets-')).toEqual(['--nets-vm=', '--nets-router=', '--nets-tester='])
  })

  test('bash completes words of a command and topology names after --topology=', async () => {
    expect(await offered('xcluster topology ')).toEqual(['list', 'show', 'test'])
    expect(await offered('xcluster topology show dual')).toEqual(['dual-path'])
    expect(await offered('xcluster start --topology=dua')).toEqual(['dual-path'])
  })

  test('an unknown shell is refused naming the three', async () => {
    const dir = await tempDir('completion')
    const result = await execa('xcluster', ['completion', 'tcsh'], {
      cwd: dir,
      reject: false,
      env: { PATH: await xclusterOnPath(dir) },
    })
    expect([result.exitCode, result.stderr]).toEqual([1, 'xcluster completion: say which shell: bash, zsh, fish'])
  })

  test("another user's overlay named $(...) is neither run nor offered at `xcluster ovld <TAB>`", async () => {
    await OtherUser.during('compl', async (other) => {
      const dir = await tempDir('completion')
      await chmod(dir, 0o755)
      const shared = join(dir, 'team-overlays')
      await mkdir(shared, { mode: 0o1777 })
      await chmod(shared, 0o1777)
      const mark = join(dir, 'MARK')
      for (const name of ['good-one', '$(touch MARK)', '`touch MARK`'])
        expect((await other.run('mkdir', [join(shared, name)])).exitCode).toBe(0)
      expect(await offered('xcluster ovld ', { XCLUSTER_OVLPATH: shared }, dir)).toEqual(['good-one'])
      expect(existsSync(mark)).toBe(false)
    })
  })

  test('the bash script adds each candidate as it is, expanding nothing in it', async () => {
    const dir = await tempDir('completion')
    const mark = join(dir, 'MARK')
    // A stand-in xcluster whose every candidate is shell code.
    await writeFile(join(dir, 'xcluster'), `#!/bin/sh\nprintf '%s\\n' '$(touch ${mark})' '\`touch ${mark}\`'\n`)
    await chmod(join(dir, 'xcluster'), 0o755)
    const script = completeInBash('xcluster ').replace('eval "$(xcluster completion bash)"', '')
    const real = await execa('xcluster', ['completion', 'bash'], {
      env: { PATH: await xclusterOnPath(await tempDir('completion')) },
    })
    const { stdout } = await execa('bash', ['-c', `${real.stdout}\n${script}`], {
      cwd: dir,
      env: { PATH: `${dir}:${process.env.PATH}`, HOME: dir },
    })
    expect(stdout.split('\n')).toEqual([`$(touch ${mark})`, `\`touch ${mark}\``])
    expect(existsSync(mark)).toBe(false)
  })
})
