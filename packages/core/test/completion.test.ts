import { afterAll, describe, expect, test } from '@jest/globals'
import { execa } from 'execa'
import { completeInBash, xclusterOnPath } from '@xcluster/test-support/bash-completion'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'

afterAll(removeTempDirs)

/** What bash offers after `line` when Tab is pressed, through `xcluster completion bash`. */
async function offered(line: string): Promise<string[]> {
  const dir = await tempDir('completion')
  const { stdout } = await execa('bash', ['-c', completeInBash(line)], {
    cwd: dir,
    env: { PATH: await xclusterOnPath(dir), HOME: dir },
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
})
