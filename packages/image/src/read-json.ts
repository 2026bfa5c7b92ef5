import type { z } from 'zod'

/** A file or value read back that is not what its schema declares: the message names it and each problem. */
export class RecordError extends Error {
  override name = 'RecordError'
}

/** A file read back is at most this long: a record of 240 VMs is a few hundred KiB. */
export const MAX_RECORD_BYTES = 4 << 20

/** Zod's complaints, each with where it is in the value (`nodes.0.nics.1.mac: ...`), the first few only. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const at = issue.path.map(String).join('.')
    return `${at ? `${at}: ` : ''}${issue.message}`
  })
  return shown.join('; ') + (error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : '')
}

/** `value` as `schema` declares it, or an RecordError naming `what` (a file, a setting) and each problem. */
export function parseAs<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new RecordError(`${what}: ${describeIssues(result.error)}`)
  return result.data
}

/**
 * The one way xcluster reads back JSON it or a user wrote (records, manifests, timelines): bounded, parsed, then
 * checked whole against its schema; `what` names the file in errors with what to do.
 */
export function parseJsonAs<T>(schema: z.ZodType<T>, text: string, what: string): T {
  return parseAs(schema, boundedJson(text, what), what)
}

/** `text` parsed, at most MAX_RECORD_BYTES long: a RecordError naming `what` otherwise. */
function boundedJson(text: string, what: string): unknown {
  if (text.length > MAX_RECORD_BYTES) throw new RecordError(`${what}: longer than ${MAX_RECORD_BYTES} bytes`)
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new RecordError(`${what}: not JSON (${(error as Error).message})`)
  }
}

/**
 * A JSON object of another program's (a package.json), bounded and parsed as records are, whose fields the caller
 * reads one by one; undefined when it is not an object. Needs no schema, so reading one loads no zod.
 */
export function parseJsonObject(text: string, what: string): Record<string, unknown> | undefined {
  const value = boundedJson(text, what)
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** What of `value` JSON keeps (functions and undefined dropped), as a record holds it; undefined for null or none. */
export function jsonCopy(value: unknown): Record<string, unknown> | undefined {
  return value === undefined || value === null ? undefined : JSON.parse(JSON.stringify(value))
}
