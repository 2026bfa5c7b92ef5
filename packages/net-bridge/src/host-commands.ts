import type { Host } from '@xcluster/core'

/** `ip ...` in the current namespace, or in `netns` with `ip -n`. */
export function ipIn(host: Host, netns: string | undefined, ...args: string[]): Promise<string> {
  return host.run('ip', netns ? ['-n', netns, ...args] : args)
}

/** Runs a program inside `netns` (`ip netns exec`), or here when there is none. */
export function execIn(host: Host, netns: string | undefined, file: string, args: string[]): Promise<string> {
  return netns ? host.run('ip', ['netns', 'exec', netns, file, ...args]) : host.run(file, args)
}

/** Turns IPv4 and IPv6 forwarding on in a namespace. */
export async function enableForwarding(host: Host, netns: string | undefined): Promise<void> {
  await execIn(host, netns, 'sysctl', ['-q', '-w', 'net.ipv4.conf.all.forwarding=1', 'net.ipv6.conf.all.forwarding=1'])
}

/** The names of the network interfaces of a namespace. */
export async function linkNames(host: Host, netns?: string): Promise<string[]> {
  const out = await ipIn(host, netns, '-o', 'link', 'show')
  return out
    .split('\n')
    .map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1])
    .filter((n): n is string => !!n)
}
