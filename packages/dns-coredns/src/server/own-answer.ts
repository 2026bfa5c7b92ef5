import type { Answer, Packet } from 'dns-packet'
import type { OwnName } from '../settings.js'

const TTL = 60

/**
 * The reply to a query for one of the cluster's own names, or undefined when the name is not
 * the cluster's (then it is forwarded). A known name without records of the asked type is an
 * empty NOERROR answer.
 */
export function ownAnswer(query: Packet, names: ReadonlyMap<string, OwnName>, domain: string): Packet | undefined {
  const question = query.questions?.[0]
  if (!question) return undefined
  const name = question.name.toLowerCase().replace(/\.$/, '')
  const own = names.get(name)
  const inDomain = name === domain || name.endsWith(`.${domain}`)
  if (!own && !inDomain) return undefined
  const answers: Answer[] = []
  if (own && question.type === 'A')
    for (const data of own.a) answers.push({ name: question.name, type: 'A', class: 'IN', ttl: TTL, data })
  if (own && question.type === 'AAAA')
    for (const data of own.aaaa) answers.push({ name: question.name, type: 'AAAA', class: 'IN', ttl: TTL, data })
  return {
    id: query.id,
    type: 'response',
    // Authoritative, recursion available, RD as asked; NXDOMAIN for an unknown name in the domain.
    flags: 0x0400 | 0x0080 | ((query.flags ?? 0) & 0x0100) | (own ? 0 : 3),
    questions: query.questions,
    answers,
  }
}
