import { spawn } from 'node:child_process'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import {
  CORE_OPERATIONS,
  type Operation,
  type StreamInput,
  isStream,
  messageOf,
  operationPackages,
  packageOperation,
} from '@xcluster/core/adapter'
import { readWords } from '../parse-words.js'
import { commandInput } from '../command-input.js'
import { runOperation } from '../run-operation.js'
import { TOOL_NAMES, callWords, capped, toolOf } from './agent-tools.js'

/** The operations that are tools here: core's, and a package's (topology) when it is installed. */
async function agentOperations(input: StreamInput): Promise<Operation[]> {
  const packages = await operationPackages(input)
  const found = await Promise.all(
    TOOL_NAMES.map(
      async (name) =>
        CORE_OPERATIONS.find((operation) => operation.name === name) ?? packageOperation(name, packages, input),
    ),
  )
  return found.filter((operation) => operation !== undefined)
}

/** A program run to its end with its output kept (an agent has no terminal to attach it to): its exit status. */
function runKept(file: string, args: readonly string[], keep: (text: string) => void): Promise<number> {
  return new Promise((done) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (chunk) => keep(String(chunk)))
    child.stderr.on('data', (chunk) => keep(String(chunk)))
    child.on('error', (error) => {
      keep(`${file}: ${error.message}\n`)
      done(1)
    })
    child.on('close', (code) => done(code ?? 1))
  })
}

/**
 * Runs one tool call as the command line would run `xcluster NAME WORDS`, in a session of its own, every word of its
 * output kept (a result as its JSON) and nothing written to the protocol's standard output.
 */
async function callOperation(operation: Operation, words: string[], base: StreamInput) {
  let output = ''
  const keep = (text: string) => void (output += text)
  const { cwd, host, defaultPlugins } = base.session.options
  const input = commandInput(operation.name, words, { cwd, host, defaultPlugins }, { stdout: keep, stderr: keep })
  input.host = { ...host, attach: (file, args) => runKept(file, args, keep) }
  try {
    // A result as its JSON: what `--json` prints.
    Object.assign(input, await readWords(operation, isStream(operation) ? words : ['--json', ...words], input))
    if (operation.name === 'rsh' && input.args.length < 2) throw new Error('rsh needs a command: args ["ID", "CMD"]')
    const exit = await runOperation(operation, input)
    return { text: capped(exit === 0 ? output : `${output}\nexit status ${exit}`), failed: exit !== 0 }
  } catch (error) {
    return { text: capped(`${output}${messageOf(error)}`), failed: true }
  }
}

/** Serves the cluster's operations as MCP tools on standard input and output until the client closes them. */
export async function serveMcp(base: StreamInput, version: string): Promise<void> {
  const operations = await agentOperations(base)
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
    const { text, failed } = await callOperation(operation, words, base)
    return answer(text, failed)
  })
  const closed = new Promise<void>((done) => {
    server.onclose = done
  })
  await server.connect(new StdioServerTransport())
  await closed
}
