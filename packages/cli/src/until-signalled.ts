/**
 * Resolves when the process is told to end (Ctrl-C, a kill): what serves until then closes first; told twice, it
 * ends at once. Its listeners stay: a library that watches signals (execa's, while a child runs) re-raises one that
 * no other listener takes, which would end the process before it has closed.
 */
export function untilSignalled(): Promise<void> {
  return new Promise((done) => {
    let told = false
    const onSignal = () => {
      if (told) process.exit(130)
      told = true
      done()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
