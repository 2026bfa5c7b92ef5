import type { Answer, Packet, Question } from 'dns-packet'

const MAX_TTL_SECONDS = 3000
const MAX_ENTRIES = 10_000

/** The answer with every record's TTL at most 3000 s: an upstream's 0xffffffff would have clients keep it for ever. */
export function clampTtls(response: Packet): Packet {
  const clamped = (records: Answer[] | undefined) =>
    records?.map((r) => ('ttl' in r && r.ttl !== undefined ? { ...r, ttl: Math.min(MAX_TTL_SECONDS, r.ttl) } : r))
  return { ...response, answers: clamped(response.answers), authorities: clamped(response.authorities) }
}

/**
 * Upstream answers by question, kept for their smallest TTL (at most 3000 s, as `cache 3000`);
 * a hit carries the TTLs that remain. The oldest entry goes when the cache is full.
 */
export class AnswerCache {
  private readonly entries = new Map<string, { response: Packet; stored: number; expires: number }>()

  static key(question: Question): string {
    return `${question.name.toLowerCase()}|${question.type}|${question.class}`
  }

  get(key: string, now = Date.now()): Packet | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expires <= now) {
      this.entries.delete(key)
      return undefined
    }
    const elapsed = Math.floor((now - entry.stored) / 1000)
    const aged = (records: Answer[] | undefined) =>
      records?.map((r) => ('ttl' in r && r.ttl !== undefined ? { ...r, ttl: Math.max(0, r.ttl - elapsed) } : r))
    return { ...entry.response, answers: aged(entry.response.answers), authorities: aged(entry.response.authorities) }
  }

  put(key: string, response: Packet, now = Date.now()): void {
    const ttls = [...(response.answers ?? []), ...(response.authorities ?? [])].map((r) => ('ttl' in r && r.ttl) || 0)
    const ttl = Math.min(MAX_TTL_SECONDS, ...(ttls.length > 0 ? ttls : [0]))
    if (ttl <= 0) return
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, { response, stored: now, expires: now + ttl * 1000 })
  }
}
