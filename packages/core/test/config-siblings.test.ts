import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OtherUser } from '@xcluster/test-support/other-user'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { runCli } from './cli-run.js'

// A real second user of the machine, who plants modules where root's config may import them.
let other: OtherUser

beforeAll(async () => {
  other = await OtherUser.create('sib')
})

afterAll(async () => {
  await other?.remove()
  await removeTempDirs()
})

/** A directory like /tmp: everybody writes, the sticky bit keeps each one's files their own. */
async function stickyDir(top: string, name: string): Promise<string> {
  const dir = join(top, name)
  await mkdir(dir)
  await chmod(dir, 0o1777)
  return dir
}

/** The other user's module that leaves a mark when it runs, written as that user. */
async function plantModule(file: string, mark: string): Promise<void> {
  const run = `writeFileSync(${JSON.stringify(mark)}, 'ran')`
  const code = `import { writeFileSync } from 'node:fs'\n${run}\nexport const x = 1\n`
  expect((await other.run('sh', ['-c', 'printf "%s" "$2" > "$1"', 'sh', file, code])).exitCode).toBe(0)
}

describe('a trusted config, hook or timeline never imports a module another user wrote', () => {
  let top: string
  beforeAll(async () => {
    top = await tempDir('siblings')
    await chmod(top, 0o755)
  })

  test("root's config in a sticky directory importing ./helper.js is refused before the planted one runs", async () => {
    const shared = await stickyDir(top, 'sticky')
    const mark = join(top, 'helper-ran')
    await writeFile(join(shared, 'helper.ts'), 'export const nodes: number = 1\n')
    await plantModule(join(shared, 'helper.js'), mark)
    await writeFile(join(shared, 'my.config.ts'), "import { nodes } from './helper.js'\nexport default { nodes }\n")
    const result = await runCli(['env', '--config=my.config.ts'], shared)
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringContaining(`${shared}, where it is, is writable by others (mode 1777)`),
    ])
    expect(existsSync(mark)).toBe(false)
  })

  test('a config of a private directory importing a module from a sticky one is refused at that module', async () => {
    const shared = await stickyDir(top, 'sticky-lib')
    const mark = join(top, 'lib-ran')
    await plantModule(join(shared, 'lib.js'), mark)
    const project = join(top, 'project')
    await mkdir(project)
    await writeFile(
      join(project, 'xcluster.config.ts'),
      "import { x } from '../sticky-lib/lib.js'\nexport default { nodes: x }\n",
    )
    const result = await runCli(['env'], project)
    expect([result.status, result.stderr]).toEqual([
      1,
      expect.stringContaining(`refusing ${shared}/lib.js, which the config file ${project}/xcluster.config.ts imports`),
    ])
    expect(existsSync(mark)).toBe(false)
  })

  test('a fault timeline (.ts) importing ./base beside it in a sticky directory is refused the same way', async () => {
    const shared = await stickyDir(top, 'sticky-faults')
    const mark = join(top, 'base-ran')
    await plantModule(join(shared, 'base.js'), mark)
    await writeFile(
      join(shared, 'flap.ts'),
      "import { x } from './base'\nexport default [{ at: x, check: { vm: 1, run: 'true' } }]\n",
    )
    const result = await runCli(['faults', 'run', join(shared, 'flap.ts')], top)
    expect([result.status, result.stderr]).toEqual([1, expect.stringContaining('is writable by others (mode 1777)')])
    expect(existsSync(mark)).toBe(false)
  })

  test.each([
    ['x.mjs', "import { writeFileSync } from 'node:fs'\nwriteFileSync(MARK, 'ran')\nexport const x = 1\n"],
    ['x.cjs', "require('node:fs').writeFileSync(MARK, 'ran')\nexports.x = 1\n"],
  ])(
    'an import of %s, which Node would load itself, from a sticky directory is refused at that file',
    async (file, code) => {
      const shared = await stickyDir(top, `sticky-${file}`)
      const mark = join(top, `${file}-ran`)
      const planted = join(shared, file)
      const text = code.replace('MARK', JSON.stringify(mark))
      expect((await other.run('sh', ['-c', 'printf "%s" "$2" > "$1"', 'sh', planted, text])).exitCode).toBe(0)
      const project = join(top, `project-${file}`)
      await mkdir(project)
      await writeFile(
        join(project, 'xcluster.config.ts'),
        `import { x } from '../sticky-${file}/${file}'\nexport default { nodes: x }\n`,
      )
      const result = await runCli(['env'], project)
      expect([result.status, result.stderr]).toEqual([
        1,
        expect.stringContaining(`refusing ${planted}, which the config file ${project}/xcluster.config.ts imports`),
      ])
      expect(existsSync(mark)).toBe(false)
    },
  )

  test('a project of your own importing its own siblings loads', async () => {
    const project = join(top, 'own')
    await mkdir(project)
    await writeFile(join(project, 'helper.ts'), 'export const nodes: number = 3\n')
    await writeFile(
      join(project, 'xcluster.config.ts'),
      "import { nodes } from './helper.js'\nexport default { nodes }\n",
    )
    const result = await runCli(['env'], project)
    expect([result.status, result.stdout]).toEqual([0, expect.stringContaining("__nvm='3'")])
  })
})
