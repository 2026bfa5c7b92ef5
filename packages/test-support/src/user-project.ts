import { chmod, chown, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type LocalRegistry, serveTarballs } from './local-registry.js'
import { TEST_ACCEL, removeTestFiles } from './netns.js'
import type { OtherUser } from './other-user.js'
import { packWorkspace } from './packed-workspace.js'

/**
 * A project of a real user who is not root, as they would make it: a home of theirs in /tmp, a project in it whose npm
 * installs xcluster's packages from the packed tarballs (a loopback registry), a config of theirs. Their xcluster is
 * `node_modules/.bin/xcluster` there.
 */
export class UserProject {
  static readonly XCLUSTER = join('node_modules', '.bin', 'xcluster')

  private constructor(
    readonly user: OtherUser,
    readonly home: string,
    private readonly registry: LocalRegistry,
  ) {}

  get dir(): string {
    return join(this.home, 'project')
  }

  static async create(user: OtherUser, packages: string[], config: object): Promise<UserProject> {
    const home = await mkdtemp('/tmp/xcluster-user-')
    await mkdir(join(home, 'packs'))
    const registry = await serveTarballs(await packWorkspace(join(home, 'packs')))
    const project = new UserProject(user, home, registry)
    await mkdir(project.dir)
    const files: [string, string][] = [
      ['package.json', JSON.stringify({ name: 'lab', private: true, type: 'module' })],
      ['.npmrc', `@xcluster:registry=${registry.url}/\ncache=${home}/npm-cache\nfund=false\naudit=false\n`],
      ['xcluster.config.json', JSON.stringify(config)],
    ]
    for (const [name, text] of files) await writeFile(join(project.dir, name), text)
    for (const path of [home, project.dir, ...files.map(([name]) => join(project.dir, name))])
      await chown(path, user.uid, user.gid)
    await chmod(home, 0o755)
    const install = await project.run('npm', ['install', '--no-save', '--no-update-notifier', ...packages])
    if (install.exitCode !== 0) throw new Error(`npm install as ${user.name} failed: ${install.stderr}`)
    return project
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

  /** Stops the registry and removes the home with the project, and the user's state directories. */
  async remove(): Promise<void> {
    await this.registry.close()
    await removeTestFiles(this.home, `/tmp/xcluster-${this.user.name}`)
  }
}
