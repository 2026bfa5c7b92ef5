import { type ChildProcess, spawn } from 'node:child_process'
import { chmod, chown, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { TEST_ACCEL, removeTestFiles } from './netns.js'
import type { OtherUser } from './other-user.js'
import { WORKSPACE } from './packed-workspace.js'

/**
 * The checkout's packages served as a user gets them before they are published: `scripts/serve-packages` (run by
 * root, whose checkout it is), its one line of stdout the `.npmrc` line.
 */
async function servePackages(): Promise<{ npmrcLine: string; server: ChildProcess }> {
  const server = spawn(join(WORKSPACE, 'scripts', 'serve-packages'), [], { stdio: ['ignore', 'pipe', 'pipe'] })
  let said = ''
  server.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()))
  const [npmrcLine] = await Promise.race([
    createInterface({ input: server.stdout! })
      [Symbol.asyncIterator]()
      .next()
      .then((line) => [line.value]),
    new Promise<never>((_, failed) => server.once('exit', () => failed(new Error(`serve-packages ended: ${said}`)))),
  ])
  if (typeof npmrcLine !== 'string' || !npmrcLine.startsWith('@xcluster:registry=http://127.0.0.1:'))
    throw new Error(`serve-packages printed ${npmrcLine}: ${said}`)
  return { npmrcLine, server }
}

/**
 * A project of a real user who is not root, as they would make it: a home of theirs in /tmp, a project in it whose npm
 * installs xcluster's packages from this checkout as the docs say (`scripts/serve-packages`), a config of theirs.
 * Their xcluster is `node_modules/.bin/xcluster` there.
 */
export class UserProject {
  static readonly XCLUSTER = join('node_modules', '.bin', 'xcluster')

  private constructor(
    readonly user: OtherUser,
    readonly home: string,
    private readonly server: ChildProcess,
  ) {}

  get dir(): string {
    return join(this.home, 'project')
  }

  static async create(user: OtherUser, packages: string[], config: object): Promise<UserProject> {
    const home = await mkdtemp('/tmp/xcluster-user-')
    const { npmrcLine, server } = await servePackages().catch(async (error: Error) => {
      await removeTestFiles(home)
      throw error
    })
    const project = new UserProject(user, home, server)
    try {
      await project.install(npmrcLine, packages, config)
    } catch (error) {
      await project.remove()
      throw error
    }
    return project
  }

  /** The project's files, the user's, and their npm install of `packages`. */
  private async install(npmrcLine: string, packages: string[], config: object): Promise<void> {
    await mkdir(this.dir)
    const files: [string, string][] = [
      ['package.json', JSON.stringify({ name: 'lab', private: true, type: 'module' })],
      ['.npmrc', `${npmrcLine}\ncache=${this.home}/npm-cache\nfund=false\naudit=false\n`],
      ['xcluster.config.json', JSON.stringify(config)],
    ]
    for (const [name, text] of files) await writeFile(join(this.dir, name), text)
    for (const path of [this.home, this.dir, ...files.map(([name]) => join(this.dir, name))])
      await chown(path, this.user.uid, this.user.gid)
    await chmod(this.home, 0o755)
    const install = await this.run('npm', ['install', '--no-save', '--no-update-notifier', ...packages])
    if (install.exitCode !== 0) throw new Error(`npm install as ${this.user.name} failed: ${install.stderr}`)
  }

  /** The environment of a login of the user: Debian's PATH for users (no /usr/sbin), their home. */
  private login(user: OtherUser, env: string[]): string[] {
    const path = 'PATH=/usr/local/bin:/usr/bin:/bin'
    return ['-i', `HOME=${this.home}`, `USER=${user.name}`, path, `XCLUSTER_ACCEL=${TEST_ACCEL}`, ...env]
  }

  /**
   * Runs a program as the user (or `as`, another one, from `/`) in the project, in the main namespace (where npm's
   * registry and Debian's mirror are) or in `netns`.
   */
  run(file: string, args: string[], options: { env?: string[]; as?: OtherUser; netns?: string } = {}) {
    const user = options.as ?? this.user
    return user.run('env', [...this.login(user, options.env ?? []), file, ...args], {
      cwd: options.as ? '/' : this.dir,
      netns: options.netns,
    })
  }

  /** The user's own xcluster, in the main namespace. */
  xcluster(...args: string[]) {
    return this.run(UserProject.XCLUSTER, args)
  }

  /** Stops the registry (by its pid) and removes the home with the project, and the user's state directories. */
  async remove(): Promise<void> {
    const exited = new Promise((done) => this.server.once('exit', done))
    if (this.server.exitCode === null && this.server.kill('SIGTERM')) await exited
    await removeTestFiles(this.home, `/tmp/xcluster-${this.user.name}`)
  }
}
