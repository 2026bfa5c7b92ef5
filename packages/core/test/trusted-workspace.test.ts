import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { chmod, chown, mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { OtherUser } from '@xcluster/test-support/other-user'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from './cli-run.js'

// A real second user of the machine, who plants files in a workspace they can write.
let other: OtherUser

beforeAll(async () => {
  other = await OtherUser.create('wsp')
})

afterAll(async () => {
  await other?.remove()
  await removeTempDirs()
})

/** A workspace shared with the other user's group (a team cache), and a project whose config names it. */
async function teamWorkspace(): Promise<{ project: string; workspace: string }> {
  const top = await tempDir('workspace')
  await chmod(top, 0o755)
  const workspace = join(top, 'cache')
  await mkdir(workspace)
  await chown(workspace, 0, other.gid)
  await chmod(workspace, 0o775)
  const project = join(top, 'project')
  await mkdir(project)
  return { project, workspace }
}

/** Files the other user makes, as they would: as themselves. */
async function plant(workspace: string, dir: string, file: string): Promise<void> {
  expect((await other.run('mkdir', ['-p', join(workspace, dir)])).exitCode).toBe(0)
  expect((await other.run('sh', ['-c', 'echo planted > "$1"', 'sh', join(workspace, dir, file)])).exitCode).toBe(0)
}

describe('a workspace another user can write is refused before anything in it is used', () => {
  test.each([
    ['a program start runs', 'bin', 'coredns'],
    ['a kernel every start boots', 'kernels/0123456789abcdef', 'bzImage'],
    ['the key that opens every VM', 'ssh', 'id_ed25519'],
    ['a snapshot', 'snapshots/s1', 'snapshot.json'],
  ])('%s, planted there, is never read: the command names the workspace and the problem', async (_, dir, file) => {
    const { project, workspace } = await teamWorkspace()
    await plant(workspace, dir, file)
    const before = await readdir(workspace, { recursive: true })
    for (const command of [['status'], ['start', '--dry-run'], ['snapshot', 'list']]) {
      const result = await runCli(command, project, { XCLUSTER_WORKSPACE: workspace })
      expect([result.status, result.stderr]).toEqual([
        1,
        expect.stringContaining(
          `refusing the workspace ${workspace} (workspace, XCLUSTER_WORKSPACE): ${workspace} is` +
            ' writable by group or others (mode 775)',
        ),
      ])
    }
    expect(await readdir(workspace, { recursive: true })).toEqual(before)
  })

  test('once the workspace is closed to others, what they planted before is still refused, by owner', async () => {
    const { project, workspace } = await teamWorkspace()
    await plant(workspace, 'kernels/0123456789abcdef', 'bzImage')
    await chmod(workspace, 0o755)
    const result = await runCli(['status'], project, { XCLUSTER_WORKSPACE: workspace })
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringContaining(`${workspace}/kernels is owned by uid ${other.uid}, not by you or root`),
    ])
  })

  test("a workspace of root's and yours, nobody else's, is used", async () => {
    const { project, workspace } = await teamWorkspace()
    await chmod(workspace, 0o700)
    await mkdir(join(workspace, 'bin'), { mode: 0o755 })
    const result = await runCli(['status'], project, { XCLUSTER_WORKSPACE: workspace })
    expect(result.stderr).not.toContain('refusing')
  })
})
