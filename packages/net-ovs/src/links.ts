import type { Host } from '@xcluster/core'

/** Whether the link exists in this namespace. */
export async function linkExists(host: Host, name: string): Promise<boolean> {
  return host.run('ip', ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  )
}
