import type { Packet } from 'dns-packet'

const MAX_TTL_SECONDS = 3000

/** Upstream answers by question, kept for their smallest TTL (at most 3000 s, as `cache 3000`). */
export class AnswerCache {
  private readonly entries = new Map<string, { response: Buffer; expires: number }>()

  static key(query: Packet): string | undefined {
    const q = query.questions?.[0]
    return q ? `${q.name.toLowerCase()}|${q.type}|${q.class}` : undefined
  }

  get(key: string, now = Date.now()): Buffer | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expires > now) return entry.response
    this.entries.delete(key)
    return undefined
  }

  put(key: string, response: Packet, raw: Buffer, now = Date.now()): void {
    const ttls = [...(response.answers ?? []), ...(response.authorities ?? [])].map((r) => ('ttl' in r && r.ttl) || 0)
    const ttl = Math.min(MAX_TTL_SECONDS, ...(ttls.length > 0 ? ttls : [0]))
    if (ttl > 0) this.entries.set(key, { response: raw, expires: now + ttl * 1000 })
  }
}
