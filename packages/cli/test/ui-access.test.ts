import { describe, expect, test } from '@jest/globals'
import { checkRequest, cookieName, newToken } from '../src/ui/access.js'

const token = newToken()
const port = 7480
const asked = (facts: Partial<Parameters<typeof checkRequest>[0]>) =>
  checkRequest({ host: '127.0.0.1:7480', url: `/?token=${token}`, ...facts }, token, port)

describe("who the page's server answers", () => {
  test('a loopback name on any port with the token, in the query, a bearer header or the cookie', () => {
    for (const host of ['127.0.0.1:7480', 'localhost:9000', '[::1]:7480', 'LOCALHOST'])
      expect(asked({ host })).toEqual({ allowed: true })
    expect(asked({ url: '/api/state', authorization: `Bearer ${token}` })).toEqual({ allowed: true })
    expect(asked({ url: '/events', cookie: `other=1; ${cookieName(port)}=${token}` })).toEqual({ allowed: true })
    expect(asked({ origin: 'http://localhost:8080' })).toEqual({ allowed: true })
  })

  test('without the token, or with a wrong one (even a cookie of another port): 401', () => {
    expect(asked({ url: '/' })).toMatchObject({ allowed: false, status: 401 })
    expect(asked({ url: `/?token=${token.slice(1)}x` })).toMatchObject({ allowed: false, status: 401 })
    expect(asked({ url: '/', cookie: `${cookieName(7481)}=${token}` })).toMatchObject({ allowed: false, status: 401 })
    expect(asked({ url: '/', authorization: `Basic ${token}` })).toMatchObject({ allowed: false, status: 401 })
  })

  test('a foreign Host (DNS rebinding) or Origin (another site): 403, even with the token', () => {
    for (const host of ['evil.example:7480', '127.0.0.1.evil.example', '', '192.168.1.1:7480'])
      expect(asked({ host })).toMatchObject({ allowed: false, status: 403 })
    for (const origin of ['http://evil.example', 'https://127.0.0.1:7480', 'null', 'http://127.0.0.1.evil.example'])
      expect(asked({ origin })).toMatchObject({ allowed: false, status: 403 })
  })

  test('tokens are new each time and URL-safe', () => {
    expect(newToken()).not.toBe(newToken())
    expect(newToken()).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})
