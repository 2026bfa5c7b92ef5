import { describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { WORKSPACE } from '@xcluster/test-support/packed-workspace'

// Rules the whole code base keeps by construction; each list of exceptions says why a file may.

/** Every source file of the packages xcluster ships (test-support is the tests' own). */
async function shippedSources(): Promise<{ file: string; text: string }[]> {
  const packages = (await readdir(join(WORKSPACE, 'packages'))).filter((name) => name !== 'test-support')
  const files = []
  for (const name of packages)
    for (const part of ['src', 'bin']) {
      const dir = join(WORKSPACE, 'packages', name, part)
      for (const entry of existsSync(dir) ? await readdir(dir, { recursive: true }) : [])
        if (/\.(ts|mts|js|mjs)$/.test(entry)) files.push(join(dir, entry))
    }
  return Promise.all(
    files.map(async (file) => ({ file: relative(WORKSPACE, file), text: await readFile(file, 'utf8') })),
  )
}

/** The lines of the sources that match `pattern`, comments left out, as `file:line: text`. */
async function linesMatching(pattern: RegExp, allowed: string[] = []): Promise<string[]> {
  const found = []
  for (const { file, text } of await shippedSources()) {
    if (allowed.includes(file)) continue
    const lines = text.split('\n')
    for (const [k, line] of lines.entries())
      if (pattern.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line)) found.push(`${file}:${k + 1}: ${line.trim()}`)
  }
  return found
}

describe('by construction', () => {
  test('no program here is handed a string a shell parses: no sh -c, no shell: true, no exec: URI', async () => {
    const shellString = /['"`]exec:|shell:\s*true|['"](\/bin\/)?(ba|da)?sh['"],\s*\[?\s*['"]-c['"]/
    expect(await linesMatching(shellString)).toEqual([])
  })

  test('JSON is read only through the schema module (and the config loader, checked by the settings)', async () => {
    expect(
      await linesMatching(/JSON\.parse\(/, [
        'packages/image/src/read-json.ts', // parseJsonAs: bounded, then the declared schema
        'packages/core/src/config/load.ts', // a JSON config, checked whole by the settings table after
        'packages/core/src/vm/qmp.ts', // QMP's own protocol on a VM's private socket, not a file read back
      ]),
    ).toEqual([])
  })

  test("user code is imported only by the trusted loaders, which check each file's owner first", async () => {
    const dynamic = /\bimport\(\s*(?!['"])|\.import\(/
    expect(
      await linesMatching(dynamic, [
        'packages/core/src/config/load.ts', // configs, hooks, timelines: every module checked as jiti compiles it
        'packages/core/src/config/guarded-jiti.ts', // Node's import for what jiti does not compile: never a user file
        'packages/core/src/installed/import-package.ts', // plugin packages, their package.json checked first
      ]),
    ).toEqual([])
  })
})
