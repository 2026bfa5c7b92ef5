import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { kernelConfigHash } from '@xcluster/image'
import { resolveConfig } from '../src/config/resolve.js'
import { chooseKernel } from '../src/workspace/choose-kernel.js'
import { testHost } from './host.js'

afterAll(removeTempDirs)

const CLOUD = '/ws/images/0123456789abcdef/vmlinuz'

/** A kernel as `kernel build` leaves it in the workspace: its directory, bzImage and record. */
async function builtKernel(
  workspace: string,
  key: string,
  version: string,
  builtAt: string,
  config = 'xcluster',
  configHash = 'xcluster-hash',
): Promise<string> {
  const dir = join(workspace, 'kernels', key)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'bzImage'), 'kernel')
  const inputs = {
    source: `linux-source-6.1=${version}-3`,
    version,
    config,
    configHash,
    compiler: 'gcc (Debian 12.2.0-14) 12.2.0',
  }
  await writeFile(join(dir, 'kernel.json'), JSON.stringify({ inputs, builtAt, compiled: 2000 }))
  return join(dir, 'bzImage')
}

const configOf = (workspace: string, env: NodeJS.ProcessEnv = {}, file: object = {}) =>
  resolveConfig({ file: { workspace, ...file } }, testHost(env))

describe('the kernel a start boots', () => {
  test("is Debian's cloud kernel while no kernel was built, said without a note", async () => {
    const workspace = await tempDir('kernels')
    expect(await chooseKernel(configOf(workspace), CLOUD)).toEqual({ path: CLOUD, label: "Debian's cloud kernel" })
  })

  test('is the newest built kernel once one was built, with a note on booting the cloud kernel instead', async () => {
    const workspace = await tempDir('kernels')
    await builtKernel(workspace, '1111111111111111', '6.1.190', '2026-11-01T00:00:00Z')
    const newest = await builtKernel(workspace, '2222222222222222', '6.1.192', '2026-12-01T00:00:00Z')
    const chosen = await chooseKernel(configOf(workspace), CLOUD)
    expect(chosen).toMatchObject({ path: newest, label: "built 6.1.192 (xcluster's config)" })
    expect(chosen.note).toMatch(/--kernel=cloud/)
    expect(await chooseKernel(configOf(workspace, { XCLUSTER_KERNEL: 'cloud' }), CLOUD)).toMatchObject({
      path: CLOUD,
    })
  })

  test('follows __kver and __kcfg among the built kernels, and __kobj to the bzImage in that directory', async () => {
    const workspace = await tempDir('kernels')
    const fragment = join(workspace, 'xdp.config')
    await writeFile(fragment, 'CONFIG_NET_SCH_CAKE=y\n')
    const older = await builtKernel(workspace, '1111111111111111', '6.1.190', '2026-11-01T00:00:00Z')
    await builtKernel(workspace, '2222222222222222', '6.1.192', '2026-12-01T00:00:00Z')
    const users = await builtKernel(
      workspace,
      '3333333333333333',
      '6.1.192',
      '2026-12-02T00:00:00Z',
      fragment,
      await kernelConfigHash(fragment),
    )
    expect((await chooseKernel(configOf(workspace, { __kver: 'linux-6.1.190' }), CLOUD)).path).toBe(older)
    expect((await chooseKernel(configOf(workspace, { __kcfg: fragment }), CLOUD)).path).toBe(users)
    // Built with a config of the user's, it is booted only when asked for, though it is the newest.
    expect((await chooseKernel(configOf(workspace), CLOUD)).label).toBe("built 6.1.192 (xcluster's config)")
    const objects = join(workspace, 'obj')
    await mkdir(join(objects, 'arch', 'x86', 'boot'), { recursive: true })
    await writeFile(join(objects, 'arch', 'x86', 'boot', 'bzImage'), 'kernel')
    expect((await chooseKernel(configOf(workspace, { __kobj: objects }), CLOUD)).path).toBe(
      join(objects, 'arch', 'x86', 'boot', 'bzImage'),
    )
  })

  test('is refused, naming what was asked and how to build it, when no built kernel matches', async () => {
    const workspace = await tempDir('kernels')
    await builtKernel(workspace, '2222222222222222', '6.1.192', '2026-12-01T00:00:00Z')
    await expect(chooseKernel(configOf(workspace, { __kver: '6.6' }), CLOUD)).rejects.toThrow(
      /no kernel was built for __kver=6.6: `xcluster kernel build`.*built: built 6.1.192/,
    )
    await expect(
      chooseKernel(configOf(workspace, {}, { kernel: 'built', workspace: join(workspace, 'empty') }), CLOUD),
    ).rejects.toThrow(/no kernel was built: `xcluster kernel build` builds one/)
    await expect(chooseKernel(configOf(workspace, { __kobj: join(workspace, 'none') }), CLOUD)).rejects.toThrow(
      /__kobj=.*none.*does not exist; build it \(`xcluster kernel build`\)/,
    )
    await expect(chooseKernel(configOf(workspace, { __kbin: join(workspace, 'no-bzImage') }), CLOUD)).rejects.toThrow(
      /kernel: .*no-bzImage does not exist/,
    )
  })
})
