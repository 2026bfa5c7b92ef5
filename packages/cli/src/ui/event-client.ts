import { parseJsonAs } from '@xcluster/image/read-json'
import { z } from '@xcluster/image/zod'
import type { LabEvent } from './event-ring.js'
import type { UiAddress } from './ui-token.js'

/** One server-sent event's fields (`id:`, `event:`, `data:`), or undefined for a comment. */
function eventOf(frame: string): LabEvent | undefined {
  const field = (name: string) =>
    frame
      .split('\n')
      .filter((line) => line.startsWith(`${name}: `))
      .map((line) => line.slice(name.length + 2))
      .join('\n')
  const [kind, data] = [field('event'), field('data')]
  if (kind === '' || data === '') return undefined
  try {
    return { id: field('id'), kind, data: parseJsonAs(z.unknown(), data, `the ${kind} event`) }
  } catch {
    return undefined
  }
}

/**
 * Follows the events of the cluster's running `xcluster ui` (`/events`), each to `onEvent`, until the stream ends
 * or `signal` aborts it. False when no server answers there (it ended, or listens in another network namespace).
 */
export async function followServer(
  address: UiAddress,
  onEvent: (event: LabEvent) => void,
  signal: AbortSignal,
): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${address.port}/events`, {
    headers: { authorization: `Bearer ${address.token}` },
    signal,
  }).catch(() => undefined)
  if (!response?.ok || !response.body) return false
  let buffer = ''
  try {
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
      buffer += chunk
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event = eventOf(buffer.slice(0, end))
        buffer = buffer.slice(end + 2)
        if (event) onEvent(event)
      }
    }
  } catch {
    // Aborted (Ctrl-C), or the server ended.
  }
  return true
}
