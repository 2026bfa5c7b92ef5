import { run } from '@xcluster/core'

/** `ip ...` in the current namespace, or in `netns` with `ip -n`. */
export function ipIn(netns: string | undefined, ...args: string[]): Promise<string> {
  return run('ip', netns ? ['-n', netns, ...args] : args)
}

/** Runs a program inside `netns` (`ip netns exec`), or here when there is none. */
export function execIn(netns: string | undefined, file: string, args: string[]): Promise<string> {
  return netns ? run('ip', ['netns', 'exec', netns, file, ...args]) : run(file, args)
}

/** Turns IPv4 and IPv6 forwarding on in a namespace. */
export async function enableForwarding(netns: string | undefined): Promise<void> {
  await execIn(netns, 'sysctl', ['-q', '-w', 'net.ipv4.conf.all.forwarding=1', 'net.ipv6.conf.all.forwarding=1'])
}

/** The names of the network interfaces of a namespace. */
export async function linkNames(netns?: string): Promise<string[]> {
  const out = await ipIn(netns, '-o', 'link', 'show')
  return out.split('\n').map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1]).filter((n): n is string => !!n)
}
