import { execa } from 'execa'

/**
 * A real second user of this machine, as on a shared host: made with useradd (no home, no
 * login shell) and removed with userdel, whatever the test did.
 */
export class OtherUser {
  private readonly children: ReturnType<typeof execa>[] = []

  private constructor(
    readonly name: string,
    readonly uid: number,
    readonly gid: number,
  ) {}

  static async create(label: string): Promise<OtherUser> {
    const name = `xc${label}${process.pid}`.slice(0, 30)
    await execa('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', name])
    const [uid, gid] = await Promise.all([execa('id', ['-u', name]), execa('id', ['-g', name])])
    return new OtherUser(name, Number(uid.stdout), Number(gid.stdout))
  }

  // setpriv execs the program itself (runuser would fork it): the pid we hold is the program's.
  private argv(file: string, args: string[]): string[] {
    return [`--reuid=${this.uid}`, `--regid=${this.gid}`, '--clear-groups', '--', file, ...args]
  }

  /** A real second user for the time of `body`, removed after it whatever happens. */
  static async during<T>(label: string, body: (user: OtherUser) => Promise<T>): Promise<T> {
    const user = await OtherUser.create(label)
    try {
      return await body(user)
    } finally {
      await user.remove()
    }
  }

  /** Runs a program as this user; in the network namespace `netns` (entered by root first) when one is given. */
  run(file: string, args: string[], options: { cwd?: string; netns?: string } = {}) {
    const { netns, ...rest } = options
    const argv = ['setpriv', ...this.argv(file, args)]
    if (netns) argv.unshift('nsenter', `--net=/run/netns/${netns}`)
    return execa(argv[0], argv.slice(1), { reject: false, ...rest })
  }

  /** Starts a long-running program as this user; it is ended by remove(). */
  spawn(file: string, args: string[]) {
    const child = execa('setpriv', this.argv(file, args), { reject: false, stdio: 'ignore' })
    this.children.push(child)
    return child
  }

  /** Ends what it started here (by pid), then removes the user. */
  async remove(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL')
    await Promise.all(this.children.map((child) => child.catch(() => undefined)))
    await execa('userdel', ['--force', this.name], { reject: false })
  }
}
