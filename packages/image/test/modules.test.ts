import { afterAll, describe, expect, test } from '@jest/globals'
import { removeTempDirs, tempDir } from '@xcluster/test-support/temp-dir'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { moduleLoadOrder } from '../src/modules.js'

describe('the initramfs loads modules dependencies first', () => {
  test('from modules.dep; a module that is not there is built in and skipped', async () => {
    const dir = await tempDir('modules')
    await writeFile(
      join(dir, 'modules.dep'),
      [
        'kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko' +
          ' kernel/drivers/virtio/virtio.ko',
        'kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko',
        'kernel/net/core/failover.ko:',
        'kernel/drivers/virtio/virtio.ko:',
        'kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko',
      ].join('\n'),
    )
    expect(await moduleLoadOrder(dir, ['virtio_blk', 'virtio_net', 'ext4'])).toEqual([
      'kernel/drivers/virtio/virtio.ko',
      'kernel/drivers/block/virtio_blk.ko',
      'kernel/net/core/failover.ko',
      'kernel/drivers/net/net_failover.ko',
      'kernel/drivers/net/virtio_net.ko',
    ])
  })
})

afterAll(removeTempDirs)
