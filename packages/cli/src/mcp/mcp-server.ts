import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { type StreamInput, messageOf } from '@xcluster/core/adapter'
import { callOperation, callWords, servedOperations } from '../served/operation-call.js'
import { TOOL_NAMES, capped, toolOf } from './agent-tools.js'

/** Serves the cluster's operations as MCP tools on standard input and output until the client closes them. */
export async function serveMcp(base: StreamInput, version: string): Promise<void> {
  const served = await servedOperations(base)
  const operations = TOOL_NAMES.flatMap((name) => served.filter((operation) => operation.name === name))
  const server = new Server({ name: 'xcluster', version }, { capabilities: { tools: {} } })
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: operations.map(toolOf) }))
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: given } = request.params
    const operation = operations.find((candidate) => candidate.name === name)
    const answer = (text: string, failed: boolean) => ({ content: [{ type: 'text' as const, text }], isError: failed })
    if (!operation)
      return answer(`${name} is not a tool of xcluster; the tools: ${operations.map((o) => o.name).join(', ')}`, true)
    let words: string[]
    try {
      words = callWords(given)
    } catch (error) {
      return answer(`${name}: ${messageOf(error)}`, true)
    }
    const { output, exit, error } = await callOperation(operation, words, base)
    const text = error !== undefined ? `${output}${error}` : exit === 0 ? output : `${output}\nexit status ${exit}`
    return answer(capped(text), exit !== 0)
  })
  const closed = new Promise<void>((done) => {
    server.onclose = done
  })
  await server.connect(new StdioServerTransport())
  await closed
}
