import { inspect } from 'node:util'

/** Base of every error xcluster reports to a user: its message says what to fix. */
export class XclusterError extends Error {
  override name = 'XclusterError'
}

/** One broken rule of the configuration: which option, which value, which rule. */
export interface ConfigIssue {
  option: string
  value: unknown
  rule: string
}

/**
 * A value as the user wrote it, on one line and at most 80 characters, whatever it holds (cycles, functions, huge
 * lists).
 */
function shown(value: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    // a cycle or a bigint: inspect shows those
  }
  text ??= inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 80 })
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** All configuration problems found at once, before anything on the host is touched. */
export class ConfigError extends XclusterError {
  override name = 'ConfigError'
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.option}=${shown(i.value)}: ${i.rule}`).join('\n'),
    )
  }
}

/**
 * What went wrong, in words: an Error's message (from any realm: a user's module compiled by jiti throws its own
 * Error), else the value as text.
 */
export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message
  return typeof message === 'string' ? message : String(error)
}
