import type { Overlay } from '@xcluster/core'

/** rc script: resolv.conf names the VM's own address with TCP forced; dnsmasq there forwards to the host service. */
function localDnsRc(port: number): string {
  return `#!/bin/sh
# The local resolver: dnsmasq on this VM's own address, forwarding to the host's DNS on 192.168.0.250:${port}.
mac=$(cat /sys/class/net/eth0/address)
i=$(printf %u "0x\${mac##*:}")
printf 'nameserver 192.168.0.%s\\noptions use-vc\\n' "$i" > /etc/resolv.conf
mkdir -p /var/lib/misc
dnsmasq --no-resolv --server=192.168.0.250#${port} --listen-address=192.168.0.$i --bind-interfaces --user=root \\
  --log-queries --log-facility=/var/log/dnsmasq.log
exit 0
`
}

/** The VM's resolver: the image's dnsmasq (Debian's dnsmasq-base), started by this rc script. */
export function resolverOverlay(port: number): Overlay {
  return { name: 'local-dns', files: { 'etc/init.d/11local-dns.rc': { content: localDnsRc(port), mode: 0o755 } } }
}
