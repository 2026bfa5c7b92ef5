import { afterAll, describe, expect, test } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { XCLUSTER_FRAGMENT, configValues, kernelConfigSpec, unmetOptions } from '../src/kernel-config.js'
import { versionMatches } from '../src/kernel-source.js'

afterAll(removeTempDirs)

describe('a kernel version as the shell tool spells it (__kver)', () => {
  test('names one version with or without linux-, and a series by its prefix', () => {
    expect(versionMatches('6.1.192', 'linux-6.1.192')).toBe(true)
    expect(versionMatches('6.1.192', '6.1.192')).toBe(true)
    expect(versionMatches('6.1.192', '6.1')).toBe(true)
    expect(versionMatches('6.10.3', '6.1')).toBe(false)
    expect(versionMatches('6.1.192', '6.1.19')).toBe(false)
  })
})

describe("xcluster's kernel config fragment", () => {
  test('sets each option once, in the forms Kconfig reads (=y or "is not set")', async () => {
    const lines = (await readFile(XCLUSTER_FRAGMENT, 'utf8')).split('\n').filter((line) => /CONFIG_/.test(line))
    const names = lines.map((line) => /CONFIG_\w+/.exec(line)![0])
    expect(names.filter((name, k) => names.indexOf(name) !== k)).toEqual([])
    expect(lines.filter((line) => !/^(CONFIG_\w+=(y|\d+|0x[0-9a-f]+)|# CONFIG_\w+ is not set)$/.test(line))).toEqual([])
  })
  test('asks for what the VMs and what users run in them need', async () => {
    const values = configValues(await readFile(XCLUSTER_FRAGMENT, 'utf8'))
    for (const option of [
      'VIRTIO_NET',
      'VIRTIO_BLK',
      'ISO9660_FS',
      'EXT4_FS',
      'NET_SCH_NETEM',
      'NF_TABLES',
      'IP_NF_NAT',
      'CGROUPS',
      'BPF_SYSCALL',
      'BPF_JIT',
      'OVERLAY_FS',
      'SECCOMP',
      'IP_SCTP',
      'IP_VS',
      'XDP_SOCKETS',
      'IPV6_SEG6_LWTUNNEL',
    ]) {
      expect([option, values.get(`CONFIG_${option}`)]).toEqual([option, 'y'])
    }
  })
})

describe('the options a build could not set', () => {
  test('are those of the fragments the final config lacks; a later fragment overrides an earlier one', () => {
    const xcluster = 'CONFIG_DUMMY=y\nCONFIG_BPF_JIT=y\n# CONFIG_VT is not set\n'
    const users = '# CONFIG_DUMMY is not set\nCONFIG_NET_SCH_CAKE=y\n'
    const final = '# CONFIG_DUMMY is not set\nCONFIG_BPF_JIT=y\n'
    expect(unmetOptions([xcluster, users], final)).toEqual(['CONFIG_NET_SCH_CAKE=y'])
  })
})

describe('the config a build makes', () => {
  test(
    "is xcluster's fragment on tinyconfig; a file of the user's is a fragment added to it, or the whole config;" +
      ' its options, not its comments, make its hash',
    async () => {
      const dir = await tempDir('kcfg')
      const fragment = join(dir, 'xdp.config')
      const whole = join(dir, 'whole.config')
      await writeFile(fragment, 'CONFIG_NET_SCH_CAKE=y\n')
      await writeFile(
        whole,
        '#\n# Automatically generated file; DO NOT EDIT.\n' +
          '# Linux/x86 6.1.192 Kernel Configuration\n#\nCONFIG_64BIT=y\n',
      )
      const own = await kernelConfigSpec()
      const added = await kernelConfigSpec(fragment)
      const replaced = await kernelConfigSpec(whole)
      expect(own).toMatchObject({ label: 'xcluster', whole: undefined, fragments: [XCLUSTER_FRAGMENT] })
      expect(added).toMatchObject({ label: fragment, whole: undefined, fragments: [XCLUSTER_FRAGMENT, fragment] })
      expect(replaced).toMatchObject({ label: whole, whole, fragments: [] })
      expect(new Set([own.hash, added.hash, replaced.hash]).size).toBe(3)
      await writeFile(fragment, '# queues that fight bufferbloat\nCONFIG_NET_SCH_CAKE=y\n')
      expect((await kernelConfigSpec(fragment)).hash).toBe(added.hash)
      await writeFile(fragment, 'CONFIG_NET_SCH_CAKE=y\nCONFIG_DUMMY=y\n')
      expect((await kernelConfigSpec(fragment)).hash).not.toBe(added.hash)
    },
  )
})
