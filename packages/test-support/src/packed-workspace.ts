import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'

export const WORKSPACE = fileURLToPath(new URL('../../..', import.meta.url))

/** Builds every package and packs it as a user would get it from npm; returns the tarballs made in `into`. */
export async function packWorkspace(into: string): Promise<string[]> {
  await execa('pnpm', ['run', '--silent', 'build'], { cwd: WORKSPACE })
  await execa('pnpm', ['-r', '--silent', '--filter', '!@xcluster/test-support', 'pack', '--pack-destination', into], {
    cwd: WORKSPACE,
  })
  return (await readdir(into)).filter((file) => file.endsWith('.tgz')).map((file) => join(into, file))
}

/** The shell block that follows a `## heading` of a page of the docs (`docs/NAME`): a walk-through as users read it. */
export async function docsBlock(page: string, heading: string): Promise<string> {
  const readme = await readFile(join(WORKSPACE, 'docs', page), 'utf8')
  const section = readme.indexOf(`\n## ${heading}\n`)
  const start = readme.indexOf('```sh\n', section)
  if (section < 0 || start < 0) throw new Error(`docs/${page} has no shell block under "## ${heading}"`)
  return readme.slice(start + 6, readme.indexOf('\n```\n', start))
}
