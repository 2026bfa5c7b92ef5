import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type Host, XclusterError, remoteQuote } from '@xcluster/core'
import { sshVia } from './ssh-address.js'

/** A machine root reaches over ssh: a host's `via` (`ssh://USER@ADDRESS[:PORT][/PROJECT]`) and the ssh config used. */
export interface SshMachine {
  via: string
  /** An ssh_config file (`ssh -F`); none: the user's own (~/.ssh/config). */
  sshConfig?: string
  /**
   * The control socket of a connection that is up (the underlay's tunnel): commands go through it, with no handshake
   * of their own; when it is gone, ssh connects as usual.
   */
  control?: string
}

// Never a question on a terminal; a machine that stops answering is given up after 15 s.
const OPTIONS = ['BatchMode=yes', 'ConnectTimeout=10', 'ServerAliveInterval=5', 'ServerAliveCountMax=3']

/** Whether a host is a machine reached over ssh (`via: 'ssh://...'`). */
export const onMachine = (entry: { via?: string }) => entry.via?.startsWith('ssh://') === true

/** The ssh words that reach the machine, up to its destination (commands or more options follow). */
export function sshWords(machine: SshMachine): string[] {
  const to = sshVia(machine.via)
  if (!to) throw new XclusterError(`${machine.via} is not ssh://USER@ADDRESS[:PORT][/PROJECT]`)
  const control = machine.control ? [`ControlPath=${machine.control}`, 'ControlMaster=no'] : []
  return [
    ...(machine.sshConfig ? ['-F', machine.sshConfig] : []),
    ...[...OPTIONS, ...control].flatMap((option) => ['-o', option]),
    ...(to.port ? ['-p', String(to.port)] : []),
    `${to.user}@${to.address}`,
  ]
}

/** Words as one line for the machine's shell, each quoted. */
export const remoteLine = (words: readonly string[]) => words.map(remoteQuote).join(' ')

/** The machine as a place to run programs: each one run by its shell through ssh. */
export function overSsh(host: Host, machine: SshMachine): Pick<Host, 'run'> {
  return {
    run: (file, args, options) => host.run('ssh', [...sshWords(machine), '--', remoteLine([file, ...args])], options),
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk)
  return hash.digest('hex')
}

// A file is compared and copied once per command, whatever VMs ask for it (they launch side by side); a failed copy is
// tried again by the next.
const copies = new Map<string, Promise<void>>()

/** Copies a file to `to` on the machine, unless the same bytes are there already (compared by sha256, once). */
export function sendFile(host: Host, machine: SshMachine, from: string, to: string): Promise<void> {
  const key = `${machine.via} ${from} ${to}`
  const copy =
    copies.get(key) ??
    (async () => {
      const there = await overSsh(host, machine)
        .run('sha256sum', [to])
        .catch(() => '')
      if (there.split(' ')[0] === (await sha256(from))) return
      const part = `${to}.part`
      await host.run(
        'ssh',
        [...sshWords(machine), '--', `cat > ${remoteQuote(part)} && mv ${remoteQuote(part)} ${remoteQuote(to)}`],
        {
          inputFile: from,
        },
      )
    })().catch((error) => {
      copies.delete(key)
      throw error
    })
  copies.set(key, copy)
  return copy
}
