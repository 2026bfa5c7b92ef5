// scripts/serve-packages: the packed packages of this checkout on a registry on loopback (see the script).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serveTarballs } from '@xcluster/test-support/local-registry'
import { packWorkspace } from '@xcluster/test-support/packed-workspace'

const [word = '0'] = process.argv.slice(2)
if (!/^\d{1,5}$/.test(word) || Number(word) > 65535) {
  console.error(`serve-packages: ${word}: the port must be a number from 0 (a free one) to 65535`)
  process.exit(2)
}
const dir = await mkdtemp(join(tmpdir(), 'xcluster-packs-'))
const registry = await serveTarballs(await packWorkspace(dir), Number(word)).catch(async (error: Error) => {
  await rm(dir, { recursive: true, force: true })
  console.error(`serve-packages: cannot serve on 127.0.0.1:${word}: ${error.message}`)
  process.exit(1)
})
// The one line of stdout: what a project's .npmrc needs (npm and pnpm read it alike).
console.log(`@xcluster:registry=${registry.url}/`)
console.error(
  `serve-packages: the packages of this checkout are served on ${registry.url}; put the line above in your` +
    ` project's .npmrc, then \`npm install -D @xcluster/cli\` there (Ctrl-C stops it)`,
)
const stop = async () => {
  await registry.close()
  await rm(dir, { recursive: true, force: true })
  process.exit(0)
}
process.once('SIGINT', stop).once('SIGTERM', stop)
