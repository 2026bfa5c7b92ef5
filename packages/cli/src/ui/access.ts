import { randomBytes, timingSafeEqual } from 'node:crypto'

// Who may talk to the page's server: a request from a loopback name (no DNS rebinding), from the page itself or no
// page at all (no cross-site request), carrying the token the server printed. Checked for every request, event
// stream and WebSocket, in that order: 403 for a foreign Host or Origin, 401 without the token.

/** 127.0.0.1, localhost or [::1], on any port (an ssh forward may use another). */
const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i

/** What a request says of itself that the check reads. */
export interface RequestFacts {
  host?: string
  origin?: string
  /** The path with its query: `/?token=...`. */
  url: string
  authorization?: string
  cookie?: string
}

export type Verdict = { allowed: true } | { allowed: false; status: 401 | 403; why: string }

/** A new token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The cookie the page's server sets so that the page's own requests carry the token (one name per port). */
export function cookieName(port: number): string {
  return `xcluster-ui-${port}`
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false
  const [a, b] = [Buffer.from(given), Buffer.from(token)]
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The token a request carries: `?token=`, `Authorization: Bearer`, or the page's cookie. */
function tokenOf(facts: RequestFacts, port: number): string | undefined {
  const query = new URL(facts.url, 'http://127.0.0.1').searchParams.get('token')
  if (query !== null) return query
  const bearer = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(facts.authorization ?? '')?.[1]
  if (bearer) return bearer
  const name = cookieName(port)
  return (facts.cookie ?? '')
    .split(';')
    .map((pair) => pair.trim().split('='))
    .find(([key]) => key === name)?.[1]
}

/** Whether a request may be served, and if not, why (said in the server's log, never to the client). */
export function checkRequest(facts: RequestFacts, token: string, port: number): Verdict {
  if (!LOOPBACK_HOST.test(facts.host ?? ''))
    return { allowed: false, status: 403, why: `Host ${JSON.stringify(facts.host ?? '')} is not a loopback name` }
  if (facts.origin !== undefined) {
    const origin = /^http:\/\/(.+)$/.exec(facts.origin)?.[1]
    if (origin === undefined || !LOOPBACK_HOST.test(origin))
      return { allowed: false, status: 403, why: `Origin ${JSON.stringify(facts.origin)} is not this page's` }
  }
  if (!sameToken(tokenOf(facts, port), token)) return { allowed: false, status: 401, why: 'no token or a wrong one' }
  return { allowed: true }
}
