import type { IncomingMessage } from 'node:http'
import { type Operation, type StreamInput, isStream } from '@xcluster/core/adapter'
import { parseJsonAs } from '@xcluster/image/read-json'
import { z } from '@xcluster/image/zod'
import { type CallOutcome, callOperation, callWords } from '../served/operation-call.js'

/** The most a request body may be: a call's words, a fault timeline. */
const MAX_BODY = 256 * 1024

/** A request's body as JSON, at most MAX_BODY bytes; none is `{}`. */
export async function jsonBody(request: IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of request) {
    text += String(chunk)
    if (text.length > MAX_BODY) throw new Error(`the body is over ${MAX_BODY} bytes`)
  }
  if (text.trim() === '') return {}
  return parseJsonAs(z.unknown(), text, 'the request body')
}

/** What the page gets for a call: its exit status, its output, and its result's JSON when it printed one. */
export interface CallAnswer {
  exit: number
  output: string
  result?: unknown
}

function answerOf({ output, error, exit, result }: CallOutcome): CallAnswer {
  return { exit, output: error === undefined ? output : `${output}${error}\n`, result }
}

/**
 * Calls an operation with the body `{ args, flags, settings }`, as the command line would; what a stream writes goes
 * out as `output` events as it comes (a fault timeline's steps), tagged with the call's number.
 */
export async function callFromPage(
  operation: Operation,
  body: unknown,
  base: StreamInput,
  publish: (kind: string, data: unknown) => void,
  call: number,
): Promise<CallAnswer> {
  const words = callWords(body)
  // A stream's output as it comes (a fault timeline's steps as they fire); a result is the answer's.
  const keep = isStream(operation)
    ? (text: string) => publish('output', { call, operation: operation.name, text })
    : undefined
  return answerOf(await callOperation(operation, words, base, keep))
}
