import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { curlIn, startUi } from '@xcluster/test-support/lab-page'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { clusterFilesIn } from '@xcluster/test-support/cluster-files'
import { type LocalRegistry, serveTarballs } from '@xcluster/test-support/local-registry'
import { TEST_ACCEL, TestNetns, XCLUSTER_BIN } from '@xcluster/test-support/netns'
import { docsBlock, packWorkspace } from '@xcluster/test-support/packed-workspace'

const SLOW = 900_000

// The docs' walk-throughs (docs/own-project.md, docs/plugins.md), run by bash as a user would paste them. Only one
// thing differs: `npx xcluster ...` runs inside the test's network namespace, so the VMs never touch the host's;
// the image a start needs is built first outside it, where Debian's mirror is reachable.
const IN_TEST_NETNS = `set -euo pipefail
npx() {
  if [ "\${1:-}" != xcluster ]; then command npx "$@"; return; fi
  shift
  if [ "$1" = start ]; then ./node_modules/.bin/xcluster image >/dev/null; fi
  ip netns exec "$XC_TEST_NETNS" ./node_modules/.bin/xcluster "$@"
}`

// What a fresh install adds by itself, outside a cluster netns, whatever installed it.
const DEFAULT_PLUGINS = ['@xcluster/ovl-network-topology', '@xcluster/dns-coredns', '@xcluster/net-userspace']

let root: string
let registry: LocalRegistry
let npmrc: string

/**
 * The npm settings of a test project: @xcluster/* from the loopback registry, a cache of its own (npx reuses a cached
 * package of the same version).
 */
const npmSettings = () =>
  `@xcluster:registry=${registry.url}/\ncache=${root}/cache/npm\nfund=false\naudit=false\nupdate-notifier=false\n`
const pnpmSettings = () =>
  `@xcluster:registry=${registry.url}/\nstore-dir=${root}/cache/pnpm-store\ncache-dir=${root}/cache/pnpm\n`

/** A user's environment: none of the npm_config_* that pnpm gives the test process. */
const userEnv = (env: Record<string, string> = {}) => ({
  PATH: process.env.PATH!,
  HOME: process.env.HOME!,
  USER: process.env.USER ?? 'root',
  ...env,
})

/**
 * A new project `name` with @xcluster/cli and @xcluster/core installed from the packed tarballs by pnpm; returns its
 * directory.
 */
async function pnpmProject(name: string): Promise<string> {
  const project = join(root, name)
  await mkdir(project)
  await writeFile(join(project, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }))
  await writeFile(join(project, '.npmrc'), pnpmSettings())
  const add = await execa('pnpm', ['add', '-D', '@xcluster/cli', '@xcluster/core'], {
    cwd: project,
    reject: false,
    all: true,
    extendEnv: false,
    env: userEnv(),
  })
  expect(`exit ${add.exitCode}\n${add.all}`).toMatch(/^exit 0\n/)
  return project
}

beforeAll(async () => {
  root = await mkdtemp('/tmp/xcluster-own-')
  await mkdir(join(root, 'packs'))
  registry = await serveTarballs(await packWorkspace(join(root, 'packs')))
  npmrc = join(root, 'npmrc')
  await writeFile(npmrc, npmSettings())
}, SLOW)

afterAll(async () => {
  await registry?.close()
  if (root) await rm(root, { recursive: true, force: true })
})

describe('a user project outside the workspace, from the packed tarballs', () => {
  test(
    'the docs walk-throughs: init, iptools overlay, strict tsc, a VM with ethtool from the overlay, a plugin' +
      ' of its own; stop leaves nothing',
    async () => {
      const ns = await TestNetns.create('own')
      const project = join(root, 'my-cluster')
      const stateDir = `/tmp/xcluster-${process.env.USER ?? 'root'}/${ns.name}`
      try {
        const script = [
          IN_TEST_NETNS,
          await docsBlock('own-project.md', 'Use it in your own project'),
          await docsBlock('plugins.md', 'Write a plugin'),
        ].join('\n')
        const run = await execa('bash', ['-c', script], {
          cwd: root,
          reject: false,
          all: true,
          extendEnv: false,
          // The image is built from the installed packages, in a workspace of the test's own.
          env: userEnv({
            npm_config_userconfig: npmrc,
            XC_TEST_NETNS: ns.name,
            XCLUSTER_ACCEL: TEST_ACCEL,
            XCLUSTER_WORKSPACE: join(root, 'workspace'),
          }),
        })
        // The whole output shows when it did not end well.
        expect(`exit ${run.exitCode}\n${run.all}`).toMatch(/^exit 0\n/)
        expect(run.stdout).toContain('core 0.1.0')
        expect(run.stdout).toMatch(/ethtool version \d/)
        expect(run.stdout).toMatch(/vm-001 +running/)
        // The config's nodes: 4; the start's --nvm=1 is for that start only.
        expect(run.stdout).toContain('hello, 4 nodes')
        expect(run.stdout).toContain('hello from a cluster of 2')
        expect(run.stdout).toMatch(/1 packets transmitted, 1 (packets )?received/)
        // `xcluster stop` left no process and no VM file.
        expect((await execa('pgrep', ['-f', '--', `${stateDir}/`], { reject: false })).stdout).toBe('')
        expect(await clusterFilesIn(stateDir)).toEqual([])
        const env = await execa(join(project, 'node_modules/.bin/xcluster'), ['env', '--json'], {
          cwd: project,
          env: { XCLUSTER_ACCEL: 'tcg' },
        })
        expect(JSON.parse(env.stdout).plugins.map((plugin: { name: string }) => plugin.name)).toEqual(DEFAULT_PLUGINS)
      } finally {
        await ns.remove(project)
      }
    },
    SLOW,
  )

  test(
    'installed with pnpm instead of npm: it imports with plain Node and brings the same plugins',
    async () => {
      const project = await pnpmProject('with-pnpm')
      const imported = await execa(
        'node',
        ['-e', "import('@xcluster/core').then((core) => console.log(typeof core.defineConfig))"],
        { cwd: project },
      )
      expect(imported.stdout).toBe('function')
      const env = await execa(join(project, 'node_modules/.bin/xcluster'), ['env', '--json'], {
        cwd: project,
        env: { XCLUSTER_ACCEL: 'tcg' },
      })
      expect(JSON.parse(env.stdout).plugins.map((plugin: { name: string }) => plugin.name)).toEqual(DEFAULT_PLUGINS)
      const help = await execa(join(project, 'node_modules/.bin/xcluster'), ['--help'], { cwd: project })
      expect(help.stdout).toContain(
        'From installed packages: doctor (@xcluster/dns-coredns), nsadd (@xcluster/net-bridge), nsdel' +
          ' (@xcluster/net-bridge), nsenter (@xcluster/net-bridge), br-setup (@xcluster/net-bridge), topology' +
          ' (@xcluster/ovl-network-topology)\n',
      )
      // The page and its assets come with the install (pnpm's strict node_modules: xterm.js is a dependency).
      const ns = await TestNetns.create('own-ui')
      try {
        const ui = await startUi(ns, project, {}, join(project, 'node_modules/.bin/xcluster'))
        try {
          for (const [path, says] of [
            ['/', '<title>xcluster</title>'],
            ['/app.js', 'new EventSource'],
            ['/xterm.js', 'Terminal'],
            ['/xterm.css', '.xterm'],
          ]) {
            const got = await curlIn(ns, `http://127.0.0.1:${ui.port}${path}?token=${ui.token}`)
            expect([path, got.status, got.body.includes(says)]).toEqual([path, 200, true])
          }
        } finally {
          await ui.stop()
        }
      } finally {
        await ns.remove(project)
      }
    },
    SLOW,
  )

  test(
    "two installs of different code share a workspace without rebuilding each other's image",
    async () => {
      const project = await pnpmProject('second-install')
      const workspace = join(root, 'shared-workspace')
      const installed = (...args: string[]) =>
        execa(join(project, 'node_modules/.bin/xcluster'), args, {
          cwd: project,
          reject: false,
          env: { XCLUSTER_WORKSPACE: workspace },
        })
      const fromSources = (...args: string[]) =>
        execa(XCLUSTER_BIN, [...args], { cwd: project, reject: false, env: { XCLUSTER_WORKSPACE: workspace } })
      expect((await fromSources('image')).stderr).toContain('image: building the root disk')
      expect((await installed('image')).stderr).toContain('image: building the root disk')
      // Each again: both images are there, neither is built again.
      for (const again of [await fromSources('image'), await installed('image')])
        expect([again.exitCode, again.stderr]).toEqual([0, ''])
      const list = await installed('image', '--list')
      expect(list.stdout.trim().split('\n')).toHaveLength(2)
      expect(list.stdout).toContain('(current)')
      // Pruning with no age keeps the current image only.
      expect((await installed('image', '--prune=0')).exitCode).toBe(0)
      expect((await installed('image', '--list')).stdout.trim().split('\n')).toHaveLength(1)
    },
    SLOW,
  )
})
