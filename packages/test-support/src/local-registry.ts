import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename } from 'node:path'
import { execa } from 'execa'

interface Published {
  manifest: Record<string, unknown> & { name: string; version: string }
  tarball: string
}

async function published(tarball: string): Promise<Published> {
  const { stdout } = await execa('tar', ['-xzOf', tarball, 'package/package.json'])
  return { manifest: JSON.parse(stdout), tarball }
}

/** The registry document of one package: its one version, with the address and checksums of its tarball. */
async function packument(pkg: Published, url: string): Promise<object> {
  const bytes = await readFile(pkg.tarball)
  const dist = {
    tarball: `${url}/${pkg.manifest.name}/-/${basename(pkg.tarball)}`,
    shasum: createHash('sha1').update(bytes).digest('hex'),
    integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
  }
  return {
    name: pkg.manifest.name,
    'dist-tags': { latest: pkg.manifest.version },
    versions: { [pkg.manifest.version]: { ...pkg.manifest, dist } },
  }
}

export interface LocalRegistry {
  /** `http://127.0.0.1:PORT`, for an .npmrc line `@scope:registry=URL/`. */
  url: string
  close(): Promise<void>
}

/**
 * An npm registry on loopback that serves the given tarballs and nothing else: a project whose
 * .npmrc points a scope at it installs those packages with plain `npm install` / `pnpm add`,
 * while every other package still comes from the public registry.
 */
export async function serveTarballs(tarballs: string[], port = 0): Promise<LocalRegistry> {
  const packages = await Promise.all(tarballs.map(published))
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://registry').pathname)
    const pkg = packages.find(
      (p) => path === `/${p.manifest.name}` || path === `/${p.manifest.name}/-/${basename(p.tarball)}`,
    )
    if (!pkg) return void response.writeHead(404).end('{}')
    if (path.endsWith('.tgz'))
      return void createReadStream(pkg.tarball).pipe(
        response.writeHead(200, { 'content-type': 'application/octet-stream' }),
      )
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify(await packument(pkg, url)))
  })
  await new Promise<void>((done, failed) => server.once('error', failed).listen(port, '127.0.0.1', done))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    close: () =>
      new Promise((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  }
}
