/** Resolves when the process is told to end (Ctrl-C, a kill): what serves until then closes first. */
export function untilSignalled(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
}
