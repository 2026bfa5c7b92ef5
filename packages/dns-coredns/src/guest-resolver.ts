import { access, mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { copyProgram } from '@xcluster/image'
import type { Host, Overlay } from '@xcluster/core'

const DNSMASQ = '/usr/sbin/dnsmasq'

/** The VM's resolver: dnsmasq from Debian with its libraries, built once per dnsmasq version in the workspace. */
async function dnsmasqTree(host: Host, workspace: string): Promise<string> {
  const version = (await host.run('dpkg-query', ['-W', '-f=${Version}', 'dnsmasq-base'])).trim()
  const dir = join(workspace, 'overlays', `dnsmasq-${version}`)
  if (await access(dir).then(() => true, () => false)) return dir
  const building = `${dir}.building`
  await rm(building, { recursive: true, force: true })
  await mkdir(building, { recursive: true })
  await copyProgram(building, { path: DNSMASQ })
  await rename(building, dir)
  return dir
}

/** rc script: resolv.conf names the VM's own address with TCP forced; dnsmasq there forwards to the host service. */
function localDnsRc(port: number): string {
  return `#!/bin/sh
# The local resolver: dnsmasq on this VM's own address, forwarding to the host's DNS on 192.168.0.250:${port}.
mac=$(cat /sys/class/net/eth0/address)
i=$(printf %u "0x\${mac##*:}")
printf 'nameserver 192.168.0.%s\\noptions use-vc\\n' "$i" > /etc/resolv.conf
mkdir -p /var/lib/misc
dnsmasq --no-resolv --server=192.168.0.250#${port} --listen-address=192.168.0.$i --bind-interfaces --user=root --log-queries --log-facility=/var/log/dnsmasq.log
exit 0
`
}

export async function resolverOverlays(host: Host, workspace: string, port: number): Promise<Overlay[]> {
  return [
    { name: 'dnsmasq', path: await dnsmasqTree(host, workspace) },
    { name: 'local-dns', files: { 'etc/init.d/11local-dns.rc': { content: localDnsRc(port), mode: 0o755 } } },
  ]
}
