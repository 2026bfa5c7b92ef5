import { describe, expect, test } from '@jest/globals'
import { validate } from '@readme/openapi-parser'
import { coreOperations } from '@xcluster/core/adapter'
import { openApiDocument } from '../src/ui/openapi.js'

describe("the page's HTTP API", () => {
  test('its OpenAPI document is valid, with one endpoint per operation the page may call', async () => {
    const served = (await coreOperations()).filter((operation) => !operation.cliOnly && !operation.terminal)
    const document = openApiDocument(served, '0.1.0')
    const result = await validate(structuredClone(document) as Parameters<typeof validate>[0])
    expect(result).toMatchObject({ valid: true })
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/state', '/events', '/api/link', '/api/netem', '/api/snapshot', '/api/faults']),
    )
    expect(Object.keys(document.paths)).not.toContain('/api/vm')
    const netem = document.paths['/api/netem'] as {
      post: { requestBody: { content: Record<string, { schema: any }> } }
    }
    expect(netem.post.requestBody.content['application/json'].schema.properties.flags.properties.delay).toEqual({
      type: 'string',
      description: expect.stringContaining('delay'),
    })
  })
})
