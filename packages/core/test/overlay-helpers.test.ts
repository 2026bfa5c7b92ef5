import { afterAll, describe, expect, test } from '@jest/globals'
import { access, constants, mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from './cli-run.js'

afterAll(removeTempDirs)

const executable = (path: string) => access(path, constants.X_OK)

describe("the shell tool's helpers for overlay tar scripts", () => {
  test('install_prog copies programs to DIR/bin, each library at its path; a missing one is a warning', async () => {
    const dir = await tempDir('install-prog')
    const run = await runCli(['install_prog', `--dest=${dir}/ovl`, 'socat', '/usr/sbin/ethtool', 'no-such-prog'], dir)
    expect(run).toEqual({
      status: 0,
      stdout: '',
      stderr: 'xcluster install_prog: no-such-prog not found (as a path or on PATH): skipped\n',
    })
    await executable(join(dir, 'ovl/bin/socat'))
    await executable(join(dir, 'ovl/bin/ethtool'))
    for (const lib of ['libssl.so.3', 'libwrap.so.0', 'libmnl.so.0', 'libc.so.6'])
      expect(await readFile(join(dir, 'ovl/lib/x86_64-linux-gnu', lib))).toEqual(
        await readFile(join('/lib/x86_64-linux-gnu', lib)),
      )
    await executable(join(dir, 'ovl/lib64/ld-linux-x86-64.so.2'))
  })

  test('--root is the old spelling of --dest; without either it says what to give', async () => {
    const dir = await tempDir('install-root')
    expect((await runCli(['install_prog', `--root=${dir}`, 'ethtool'], dir)).status).toBe(0)
    await executable(join(dir, 'bin/ethtool'))
    expect(await runCli(['install_prog', 'ethtool'], dir)).toMatchObject({
      status: 1,
      stdout: '',
      stderr: expect.stringContaining('install_prog needs --dest=DIR'),
    })
  })

  test('cplib copies the libraries of a file, cploader the loader, and nothing goes to stdout', async () => {
    const dir = await tempDir('cplib')
    expect(await runCli(['cplib', `--dest=${dir}`, '/usr/bin/socat'], dir)).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    })
    await access(join(dir, 'lib/x86_64-linux-gnu/libcrypto.so.3'))
    await expect(access(join(dir, 'bin/socat'))).rejects.toThrow()
    const loader = await tempDir('cploader')
    expect(await runCli(['cploader', `--dest=${loader}`], dir)).toEqual({ status: 0, stdout: '', stderr: '' })
    await executable(join(loader, 'lib64/ld-linux-x86-64.so.2'))
    expect((await runCli(['cplib', `--dest=${dir}`, '/etc/passwd'], dir)).stderr).toContain(
      '/etc/passwd is not an ELF program or library',
    )
  })

  test('ovld prints the directory start finds an overlay in, one line; an unknown one, a line on stderr', async () => {
    const dir = await tempDir('ovld')
    await mkdir(join(dir, 'ovls/other/default'), { recursive: true })
    const env = { XCLUSTER_OVLPATH: join(dir, 'ovls') }
    expect(await runCli(['ovld', 'other'], dir, env)).toEqual({ status: 0, stdout: `${dir}/ovls/other\n`, stderr: '' })
    const unknown = await runCli(['ovld', 'nope'], dir, env)
    expect([unknown.status, unknown.stdout, unknown.stderr.trim().split('\n').length]).toEqual([1, '', 1])
    expect(unknown.stderr).toContain('overlay nope not found')
  })
})
