/** Writes argv as one shell line that a user can paste: words with special characters in single quotes. */
export function shellLine(argv: string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ')
}
