import { z } from 'zod'
import { parseJsonAs } from './read-json.js'
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { run } from './run.js'

/** The Debian metapackage whose dependency is the kernel the VMs boot. */
export const KERNEL_METAPACKAGE = 'linux-image-cloud-amd64'

export interface Kernel {
  /** e.g. linux-image-6.1.0-56-cloud-amd64 */
  package: string
  /** Debian version of that package, part of the image's inputs. */
  packageVersion: string
  /** e.g. 6.1.0-56-cloud-amd64 */
  release: string
  vmlinuz: string
  /** The unpacked tree that holds lib/modules/<release>, with modules.dep made by depmod. */
  root: string
}

/** The versioned kernel package the metapackage points at, and its candidate version (no download). */
export async function kernelPackage(): Promise<{ name: string; version: string }> {
  const depends = await run('apt-cache', ['depends', KERNEL_METAPACKAGE])
  const name = /Depends: (linux-image-\S+)/.exec(depends)?.[1]
  if (!name) throw new Error(`apt-cache knows no ${KERNEL_METAPACKAGE}: run \`apt-get update\` first`)
  const policy = await run('apt-cache', ['policy', name])
  const version = /Candidate: (\S+)/.exec(policy)?.[1] ?? 'unknown'
  return { name, version }
}

/** What apt's answer depends on: its package lists and its pins. */
async function aptStamp(): Promise<string> {
  const places = ['/var/lib/apt/lists', '/etc/apt/preferences', '/etc/apt/preferences.d']
  return (
    await Promise.all(
      places.map((path) =>
        stat(path).then(
          (info) => info.mtimeMs,
          () => 0,
        ),
      ),
    )
  ).join(',')
}

const kernelPackageCache = z.strictObject({
  stamp: z.string().max(4096),
  name: z.string().regex(/^[a-z0-9.+-]{1,128}$/),
  version: z.string().regex(/^[\w.+:~-]{1,128}$/),
})

/**
 * kernelPackage, remembered in `cacheFile` while apt's lists and pins stay as they were: the two
 * apt-cache runs take seconds, and every start asks whether the image is current.
 */
export async function cachedKernelPackage(cacheFile: string): Promise<{ name: string; version: string }> {
  const stamp = await aptStamp()
  // A cache that cannot be read, or was written by another version, is asked again.
  const cached = await readFile(cacheFile, 'utf8')
    .then((text) => parseJsonAs(kernelPackageCache, text, cacheFile))
    .catch(() => undefined)
  if (cached?.stamp === stamp) return { name: cached.name, version: cached.version }
  const fresh = await kernelPackage()
  await writeFile(cacheFile, JSON.stringify({ stamp, ...fresh })).catch(() => undefined)
  return fresh
}

/** Downloads the kernel package into `dir` and unpacks it there; it is never installed on the host. */
export async function fetchKernel(dir: string): Promise<Kernel> {
  const { name, version } = await kernelPackage()
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await run('apt-get', ['download', '-q', name], { cwd: dir })
  const deb = (await readdir(dir)).find((f) => f.endsWith('.deb'))
  if (!deb) throw new Error(`apt-get download ${name} left no .deb in ${dir}`)
  const root = join(dir, 'root')
  await run('dpkg-deb', ['-x', join(dir, deb), root])
  await rm(join(dir, deb))
  const release = (await readdir(join(root, 'lib', 'modules')))[0]
  await run('depmod', ['-b', root, release])
  return { package: name, packageVersion: version, release, vmlinuz: join(root, 'boot', `vmlinuz-${release}`), root }
}
