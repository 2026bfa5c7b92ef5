import { type WriteStream, createWriteStream, renameSync, statSync } from 'node:fs'

/** A log that keeps at most two files of `maxBytes`: when `path` is full it becomes `path.1`. */
export class QueryLog {
  private stream: WriteStream
  private size: number

  constructor(
    private readonly path: string,
    private readonly maxBytes = 1_000_000,
  ) {
    this.size = statSync(path, { throwIfNoEntry: false })?.size ?? 0
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 })
  }

  /** One line; control characters (a query name may hold newlines) are written as \xNN, so one entry stays one line. */
  write(text: string): void {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
    const line = text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    if (this.size + line.length > this.maxBytes) {
      this.stream.end()
      renameSync(this.path, `${this.path}.1`)
      this.stream = createWriteStream(this.path, { flags: 'a', mode: 0o600 })
      this.size = 0
    }
    this.stream.write(`${new Date().toISOString()} ${line}\n`)
    this.size += line.length + 25
  }

  close(): void {
    this.stream.end()
  }
}
