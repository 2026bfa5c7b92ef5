import { describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const WORKSPACE = fileURLToPath(new URL('../../..', import.meta.url))
const pages = async () => [
  'README.md',
  ...(await readdir(join(WORKSPACE, 'docs'))).filter((page) => page.endsWith('.md')).map((page) => join('docs', page)),
]

describe('the docs a newcomer reads', () => {
  test('every link of the README and of docs/ to a file of the workspace leads to one', async () => {
    const broken: string[] = []
    for (const page of await pages()) {
      const text = await readFile(join(WORKSPACE, page), 'utf8')
      for (const [, target] of text.matchAll(/\]\(((?!https?:|#)[^)#\s]+)(#[^)]*)?\)/g))
        if (!existsSync(join(WORKSPACE, dirname(page), target))) broken.push(`${page}: ${target}`)
    }
    expect(broken).toEqual([])
  })

  test('every file docs/architecture.md names exists (in packages/core/src/ unless it names its package)', async () => {
    const text = await readFile(join(WORKSPACE, 'docs', 'architecture.md'), 'utf8')
    const named = [...new Set([...text.matchAll(/[\w./*-]+\.ts\b/g)].map(([path]) => path))]
    expect(named.length).toBeGreaterThan(10)
    const missing = named.filter((path) => {
      const full = path.startsWith('packages/') ? path : join('packages/core/src', path)
      if (!full.includes('*')) return !existsSync(join(WORKSPACE, full))
      return !existsSync(join(WORKSPACE, dirname(full)))
    })
    expect(missing).toEqual([])
  })

  test('every published package has a README for npm naming it, and a page of the docs that exists', async () => {
    const missing: string[] = []
    for (const dir of await readdir(join(WORKSPACE, 'packages'))) {
      const manifest = JSON.parse(await readFile(join(WORKSPACE, 'packages', dir, 'package.json'), 'utf8'))
      if (manifest.private) continue
      const readme = await readFile(join(WORKSPACE, 'packages', dir, 'README.md'), 'utf8').catch(() => '')
      const page = /(docs\/[\w-]+\.md)/.exec(readme)?.[1]
      if (!readme.startsWith(`# ${manifest.name}\n`) || !page)
        missing.push(`${dir}: README.md naming ${manifest.name} and a docs page`)
      else if (page && !existsSync(join(WORKSPACE, page))) missing.push(`${dir}: ${page} does not exist`)
    }
    expect(missing).toEqual([])
  })

  test('the README stays a front page: at most about 250 lines, the rest in docs/', async () => {
    const lines = (await readFile(join(WORKSPACE, 'README.md'), 'utf8')).split('\n').length
    expect(lines).toBeLessThanOrEqual(250)
  })
})
