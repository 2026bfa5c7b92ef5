import type { Operation } from '@xcluster/core/adapter'
import { callSchema } from '../served/operation-call.js'

/** Where an operation is called: `POST /api/NAME` with `{ args, flags, settings }`. */
export const operationPath = (name: string) => `/api/${name}`

const outcome = {
  type: 'object',
  required: ['exit', 'output'],
  properties: {
    exit: { type: 'integer', description: "the command's exit status" },
    output: { type: 'string', description: 'everything it wrote, as the command line shows it' },
    result: { description: "a result's JSON (what `--json` prints), when it printed one" },
  },
}

/** The OpenAPI 3.1 document of the page's server: one endpoint per operation, the lab's state, its events. */
export function openApiDocument(operations: Operation[], version: string) {
  const token = [{ token: [] }]
  const endpoints = operations.map((operation) => [
    operationPath(operation.name),
    {
      post: {
        operationId: operation.name.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
        summary: operation.summary,
        description:
          `\`xcluster ${operation.name} ${operation.usage}\`\n\n${operation.help}\n\n` + `Output: ${operation.output}`,
        requestBody: { required: false, content: { 'application/json': { schema: callSchema(operation) } } },
        responses: {
          '200': { description: 'it ran (see exit)', content: { 'application/json': { schema: outcome } } },
          '400': { description: 'the input is not { args, flags, settings }' },
        },
      },
    },
  ])
  return {
    openapi: '3.1.0',
    info: { title: 'xcluster', version, description: "The cluster's operations, state and events (`xcluster ui`)" },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
    security: token,
    paths: {
      '/api/state': {
        get: {
          operationId: 'state',
          summary: 'the VMs, their states and links, and the shaped NICs, as the page draws them',
          responses: { '200': { description: 'the state', content: { 'application/json': { schema: {} } } } },
        },
      },
      '/events': {
        get: {
          operationId: 'events',
          summary: 'server-sent events: reset (the whole state), state, link, netem, added, removed, output',
          parameters: [{ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
          responses: { '200': { description: 'an event stream', content: { 'text/event-stream': { schema: {} } } } },
        },
      },
      ...Object.fromEntries(endpoints),
    },
  }
}
