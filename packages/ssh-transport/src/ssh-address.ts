// A machine root reaches over ssh: no word of it may begin with `-` (ssh would read an option), the project directory
// where xcluster is installed there is absolute, of plain characters.
const SSH_ADDRESS = String.raw`([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])`
const SSH_USER_HOST = `^ssh://([a-z_][a-z0-9_.-]{0,31})@${SSH_ADDRESS}`
const SSH = new RegExp(String.raw`${SSH_USER_HOST}(?::(\d{1,5}))?(/[A-Za-z0-9_./-]{0,200})?$`)

/** A machine reached over ssh, as its `via` says. */
export interface SshVia {
  user: string
  address: string
  port?: number
  /** Where xcluster is installed there (a project directory); none: the login directory. */
  project?: string
}

/** The parts of an `ssh://USER@ADDRESS[:PORT][/PROJECT]` via; undefined for any other via. */
export function sshVia(via: string): SshVia | undefined {
  const match = SSH.exec(via)
  if (!match || (match[3] !== undefined && (Number(match[3]) < 1 || Number(match[3]) > 65535))) return undefined
  const [, user, address, port, project] = match
  return {
    user,
    address: address.replace(/^\[|\]$/g, ''),
    ...(port ? { port: Number(port) } : {}),
    ...(project && project !== '/' ? { project } : {}),
  }
}
