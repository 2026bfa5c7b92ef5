import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type ResultPromise, execa } from 'execa'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'

export type { Browser, Page }
import { TEST_ACCEL, type TestNetns, XCLUSTER_BIN } from './netns.js'

/** Where the browser tests keep their screenshots: beside the tests' other output, ignored by git. */
export const SCREENSHOTS = new URL('../../../test-output/ui/', import.meta.url).pathname

/** `xcluster ui` running in a test's netns: its URL (with the token), its port, and how to end it. */
export interface RunningUi {
  url: string
  port: number
  token: string
  process: ResultPromise
  stop(): Promise<void>
}

/**
 * Starts `xcluster ui --port=0` (the workspace's, or the program `bin`) in the project `cwd` inside the netns `ns` (a
 * test's, or a cluster's netns with the environment its commands run with); returns once it printed its URL.
 */
export async function startUi(
  ns: Pick<TestNetns, 'name' | 'env'>,
  cwd: string,
  env: Record<string, string> = {},
  bin = XCLUSTER_BIN,
): Promise<RunningUi> {
  const child = execa('ip', ['netns', 'exec', ns.name, bin, 'ui', '--port=0'], {
    cwd,
    reject: false,
    env: { XCLUSTER_ACCEL: TEST_ACCEL, ...ns.env, ...env },
  })
  const url = await new Promise<string>((found, failed) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += String(chunk)
      const line = /^(http:\/\/\S+)\n/m.exec(out)?.[1]
      if (line) found(line)
    })
    child.then((ended) => failed(new Error(`xcluster ui ended: ${ended.stderr}`)))
  })
  const parsed = new URL(url)
  return {
    url,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token') ?? '',
    process: child,
    async stop() {
      child.kill('SIGTERM')
      await child
    },
  }
}

/**
 * Debian's chromium, headless, inside the test's netns (where the page's server listens on 127.0.0.1), driven by
 * puppeteer over a pipe: nothing is downloaded, nothing listens outside the netns.
 */
export async function browserIn(ns: TestNetns, dir: string): Promise<Browser> {
  const wrapper = join(dir, 'chromium-in-netns')
  await writeFile(wrapper, `#!/bin/sh\nexec nsenter --net=/run/netns/${ns.name} /usr/bin/chromium "$@"\n`)
  await chmod(wrapper, 0o755)
  return puppeteer.launch({
    executablePath: wrapper,
    pipe: true,
    headless: true,
    userDataDir: join(dir, 'chromium-profile'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1400,1000'],
    defaultViewport: { width: 1400, height: 1000 },
  })
}

/** Keeps a screenshot of the page as `NN-name.png` under SCREENSHOTS/<label>. */
export async function keepScreenshot(page: Page, label: string, name: string): Promise<string> {
  const dir = join(SCREENSHOTS, label)
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${name}.png`)
  await page.screenshot({ path: file as `${string}.png`, fullPage: true })
  return file
}

/** Runs curl inside the netns; returns the status code and the body. */
export async function curlIn(ns: TestNetns, url: string, headers: Record<string, string> = {}) {
  const words = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const run = await ns.enter('curl', ['-s', '-m', '5', '-w', '\n%{http_code}', ...words, url])
  const lines = run.stdout.split('\n')
  return { status: Number(lines.at(-1)), body: lines.slice(0, -1).join('\n') }
}
