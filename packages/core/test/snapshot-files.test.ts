import { describe, expect, test } from '@jest/globals'
import { differences } from '../src/snapshot/manifest.js'
import { snapshotDir } from '../src/snapshot/snapshot-files.js'

const manifest = {
  name: 's1',
  created: '2026-12-03T07:00:00.000Z',
  nodes: [],
  plugins: ['@xcluster/net-userspace', '@xcluster/dns-coredns'],
  kernel: '/w/kernels/a/bzImage',
  initrd: '/w/image/initrd.img',
  image: '/w/image/hd.qcow2',
}

describe('a snapshot is restored only onto what it was taken of', () => {
  test('each difference is named with both values; none when all match', () => {
    expect(differences(manifest, manifest)).toEqual([])
    expect(
      differences(manifest, { ...manifest, kernel: '/w/image/vmlinuz', plugins: ['@xcluster/net-bridge'] }),
    ).toEqual([
      'kernel: the snapshot has /w/kernels/a/bzImage, now /w/image/vmlinuz',
      'plugins: the snapshot has @xcluster/net-userspace,@xcluster/dns-coredns, now @xcluster/net-bridge',
    ])
  })

  test('names are one plain path part under <workspace>/snapshots', () => {
    expect(snapshotDir('/w', 'before-upgrade.1')).toBe('/w/snapshots/before-upgrade.1')
    for (const bad of ['../x', '.hidden', 'a/b', '', 'a b', 'x'.repeat(65)])
      expect(() => snapshotDir('/w', bad)).toThrow(`snapshot name ${JSON.stringify(bad)}: a letter or digit`)
  })
})
