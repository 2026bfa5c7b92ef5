import type { Host } from '@xcluster/core'

/** Whether the link exists in the namespace `host` runs programs in. */
export async function linkExists(host: Pick<Host, 'run'>, name: string): Promise<boolean> {
  return host.run('ip', ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  )
}
