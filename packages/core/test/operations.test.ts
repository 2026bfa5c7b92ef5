import { describe, expect, test } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Operation, isStream } from '../src/contract/operation.js'
import { CORE_CATALOG, coreOperations } from '../src/operations/catalog.js'
import { type DeclaredOperation, operationsMarkdown } from '../src/operations/operations-markdown.js'
import { COMMANDS } from '../../cli/src/command-catalog.js'

const WORKSPACE = fileURLToPath(new URL('../../..', import.meta.url))
/** The packages that add commands, each read as its sources export it. */
const PACKAGES = ['net-bridge', 'ovl-network-topology', 'dns-coredns', 'net-ovn']

async function packageOperations(dir: string): Promise<{ listed: string[]; operations: Operation[] }> {
  const manifest = JSON.parse(await readFile(join(WORKSPACE, 'packages', dir, 'package.json'), 'utf8'))
  const module = (await import(join(WORKSPACE, 'packages', dir, 'src', 'index.ts'))) as { operations?: Operation[] }
  return { listed: manifest.xcluster?.commands ?? [], operations: module.operations ?? [] }
}

describe('every command is an operation', () => {
  test("a catalog's entry loads the operation of its name and line of help, which only the catalog lists", async () => {
    for (const entry of [...CORE_CATALOG, ...COMMANDS]) {
      const operation = await entry.load()
      expect([operation.name, operation.summary]).toEqual([entry.name, entry.summary])
    }
    expect(new Set(COMMANDS.map((entry) => entry.name)).size).toBe(COMMANDS.length)
  })

  test("a package's manifest lists exactly the operations it exports", async () => {
    for (const dir of PACKAGES) {
      const { listed, operations } = await packageOperations(dir)
      expect([dir, operations.map((operation) => operation.name).sort()]).toEqual([dir, [...listed].sort()])
    }
  })

  test("docs/operations.md's table is the one the declarations of core and of each package make", async () => {
    const page = await readFile(join(WORKSPACE, 'docs', 'operations.md'), 'utf8')
    const table = page.slice(page.indexOf('| command |'), page.indexOf('\n\n', page.indexOf('| command |')))
    const declared: DeclaredOperation[] = []
    for (const entry of COMMANDS) declared.push({ operation: await entry.load(), pkg: 'core' })
    for (const dir of PACKAGES)
      for (const operation of (await packageOperations(dir)).operations) declared.push({ operation, pkg: dir })
    expect(table).toBe(operationsMarkdown(declared))
  })

  test('a result operation presents what it returns; a stream has no present to skip', async () => {
    for (const operation of await coreOperations())
      expect([operation.name, isStream(operation) || typeof operation.present === 'function']).toEqual([
        operation.name,
        true,
      ])
  })
})
