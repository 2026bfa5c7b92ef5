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

/** All configuration problems found at once, before anything on the host is touched. */
export class ConfigError extends XclusterError {
  override name = 'ConfigError'
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.option}=${JSON.stringify(i.value)}: ${i.rule}`).join('\n'),
    )
  }
}
