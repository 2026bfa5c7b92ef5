import { closeSync, openSync, readFileSync } from 'node:fs'
import { delimiter, dirname } from 'node:path'
import { findProgram } from '@xcluster/image/find-program'
import { XclusterError } from '../errors.js'
import { type HostFacts, hostFacts } from './host-facts.js'

// Loaded when a program first runs: importing execa costs more than the rest of a `status` or `--help`.
const loadExeca = () => import('execa')

/** A host program that failed: what ran, how it ended, and what it said. */
export class CommandFailed extends XclusterError {
  override name = 'CommandFailed'
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    const said = stderr.trim().split('\n').slice(-5).join('\n')
    super(
      `${command} ${args.join(' ')}` +
        ` failed${exitCode === undefined ? '' : ` (exit status ${exitCode})`}${said ? `: ${said}` : ''}`,
    )
  }
}

export interface RunOptions {
  cwd?: string
  input?: string
  /** Read stdin from this file (a copy sent through ssh). */
  inputFile?: string
  /** Write stdout to this file (bytes as they come) instead of returning it. */
  stdoutFile?: string
  /** Write stdout to this open file descriptor instead (see writeUserFile). */
  stdoutFd?: number
  /** The program's whole environment, instead of this process's. */
  env?: Record<string, string>
}

/**
 * The host as core and plugins see it: its facts, and the only way they run programs. Tests and
 * embedders can hand a cluster another one.
 */
export interface Host extends HostFacts {
  /** Runs a program to its end and returns its stdout; a failure throws CommandFailed. */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<string>
  /**
   * Starts a program that outlives this process (a service), its output appended to `log`; returns its pid. Its stdin
   * is /dev/null: a read sees end of file at once, so a program with a console on stdin (vde_switch) must be told to
   * run without one (`vde_switch --daemon`, or its own flag).
   */
  spawnDetached(file: string, args: readonly string[], log: string): Promise<number>
  /** Runs a program on the user's terminal (ssh, a shell) and returns its exit status. */
  attach(file: string, args: readonly string[]): Promise<number>
  /** The nameservers of /etc/resolv.conf as programs in this namespace see it (none when there is no file). */
  nameservers(): string[]
}

/**
 * A program by name as PATH finds it (the name stays the process's argv[0]), else by its path where Debian puts the
 * administrator's: tc, iptables and sysctl are in /usr/sbin, which a user's PATH leaves out, and a user runs them in
 * their own cluster netns.
 */
function system(file: string): string {
  const found = findProgram(file)
  const pathDirs = (process.env.PATH ?? '').split(delimiter)
  return found === undefined || file.includes('/') || pathDirs.includes(dirname(found)) ? file : found
}

async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const { stdoutFile, stdoutFd, ...rest } = options
  // An open descriptor is written through its /proc name: the very file that was opened, whatever its path now holds.
  const target = stdoutFd === undefined ? stdoutFile : `/proc/self/fd/${stdoutFd}`
  const stdout = target === undefined ? ('pipe' as const) : { file: target }
  const { execa } = await loadExeca()
  const result = await execa(system(file), args, {
    ...rest,
    extendEnv: rest.env === undefined,
    stdout,
    reject: false,
    ...(options.input === undefined && options.inputFile === undefined ? { stdin: 'ignore' as const } : {}),
  })
  if (result.failed)
    throw new CommandFailed(file, args, result.exitCode, result.stderr || result.stdout || result.shortMessage || '')
  return result.stdout
}

async function spawnDetached(file: string, args: readonly string[], log: string): Promise<number> {
  // Loaded when a service starts: child_process costs every command's start-up 8 ms.
  const { spawn } = await import('node:child_process')
  const out = openSync(log, 'a')
  try {
    const child = spawn(system(file), args, { detached: true, stdio: ['ignore', out, out] })
    child.unref()
    if (child.pid === undefined) throw new CommandFailed(file, args, undefined, 'could not be started')
    return child.pid
  } finally {
    closeSync(out)
  }
}

async function attach(file: string, args: readonly string[]): Promise<number> {
  const { execa } = await loadExeca()
  const result = await execa(system(file), args, { stdio: 'inherit', reject: false })
  return result.exitCode ?? 1
}

/** The nameservers a resolv.conf names, in order. */
export function nameserversOf(resolvConf: string): string[] {
  return resolvConf
    .split('\n')
    .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
    .filter((n): n is string => !!n)
}

function nameservers(): string[] {
  try {
    return nameserversOf(readFileSync('/etc/resolv.conf', 'utf8'))
  } catch {
    return []
  }
}

/**
 * A resolver on loopback (systemd-resolved's 127.0.0.53, 127.0.1.1, ::1): it answers in the host's own namespace
 * only.
 */
export function isLoopbackAddress(address: string): boolean {
  return address.startsWith('127.') || address === '::1'
}

/** This machine, as the process runs on it. */
export function localHost(env: NodeJS.ProcessEnv = process.env): Host {
  return { ...hostFacts(env), run, spawnDetached, attach, nameservers }
}
