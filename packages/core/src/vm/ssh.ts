import type { Endpoint } from '../contract/context.js'

const SSH_OPTIONS = [
  ['StrictHostKeyChecking', 'no'],
  ['UserKnownHostsFile', '/dev/null'],
  ['LogLevel', 'ERROR'],
  ['BatchMode', 'yes'],
  // A guest that does not answer is not waited for long.
  ['ConnectTimeout', '10'],
].flatMap(([name, value]) => ['-o', `${name}=${value}`])

/** The ssh words that reach root on a guest through the endpoint of its port 22, with the workspace's key. */
export function sshWords(endpoint: Endpoint, keyFile: string): string[] {
  return [...SSH_OPTIONS, '-i', keyFile, '-p', String(endpoint.port), `root@${endpoint.host}`]
}

/** One word for the guest's shell: single-quoted. */
export function remoteQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`
}
