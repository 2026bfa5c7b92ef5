import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  type Browser,
  type Page,
  type RunningUi,
  browserIn,
  curlIn,
  keepScreenshot,
  startUi,
} from '@xcluster/test-support/lab-page'
import { TestNetns, XCLUSTER_BIN, ensureTestImage } from '@xcluster/test-support/netns'
import { OtherUser } from '@xcluster/test-support/other-user'

const BOOT = 240_000
let ns: TestNetns
/** A netns where the page's server, listening in `ns`, is out of reach. */
let away: TestNetns
let awayDir: string
let dir: string
let ui: RunningUi
let browser: Browser
let page: Page

const xc = (...args: string[]) => ns.xcluster(args, { cwd: dir })
/** The snapshot the page saves: a name of this run's (snapshots are kept in the user's cache). */
const SNAPSHOT = `from-page-${process.pid}`
const shot = (name: string) => keepScreenshot(page, 'lab-page', name)

/** Waits until `check` holds, looking every 200 ms, for at most `seconds`; fails saying what it waited for. */
async function until(what: string, check: () => Promise<boolean>, seconds = 20): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${seconds} s for ${what}`)
    await sleep(200)
  }
}

const consoleText = (hostname: string) =>
  page.$eval(`.console[data-hostname="${hostname}"] .xterm-rows`, (rows) =>
    [...rows.children].map((row) => row.textContent ?? ''),
  )
const edgeClass = (id: string) => page.$eval(`#${id}`, (edge) => edge.getAttribute('class') ?? '')

beforeAll(async () => {
  await ensureTestImage()
  ns = await TestNetns.create('ui')
  away = await TestNetns.create('ui-away')
  awayDir = await mkdtemp(join(tmpdir(), 'xcluster-ui-away-'))
  dir = await mkdtemp(join(tmpdir(), 'xcluster-ui-'))
  await writeFile(join(dir, 'xcluster.config.json'), JSON.stringify({ nodes: 2, routers: 0, testers: 0 }))
  expect((await xc('start')).exitCode).toBe(0)
  ui = await startUi(ns, dir)
  browser = await browserIn(ns, dir)
  page = await browser.newPage()
  await page.goto(ui.url)
  await page.waitForSelector('#picture svg #vm-002')
}, BOOT)

afterAll(async () => {
  await xc('snapshot', 'delete', SNAPSHOT)
  await browser?.close()
  await ui?.stop()
  try {
    // It ended as Ctrl-C ends it, having removed what it made (its token file, its private directory), though a
    // child of its (a capture's ssh) ran as it was told.
    const ended = await ui?.process
    expect([ended?.exitCode, ended?.signal]).toEqual([0, undefined])
  } finally {
    await ns?.remove(dir)
    await away?.remove(awayDir)
  }
}, BOOT)

describe('the lab in a real browser (xcluster ui, chromium)', () => {
  test('the page shows every VM, up, in the picture and the list', async () => {
    await page.waitForSelector('#picture svg #vm-001')
    expect(await page.$$eval('#vms li', (items) => items.map((item) => item.textContent))).toEqual([
      'vm-001 up',
      'vm-002 up',
    ])
    expect(await page.$eval('#connection', (item) => item.textContent)).toBe('live')
    await shot('01-cluster')
  })

  test('the page follows the cluster when it stops and starts again', async () => {
    const listed = () => page.$$eval('#vms li', (items) => items.map((item) => item.textContent).join(', '))
    expect((await xc('stop')).exitCode).toBe(0)
    await until('no VM listed', async () => (await listed()) === '')
    const started = await xc('start')
    expect(`exit ${started.exitCode}\n${started.stderr}`).toMatch(/^exit 0\n/)
    await until('both VMs up again', async () => (await listed()) === 'vm-001 up, vm-002 up', 60)
    await page.waitForSelector('#picture svg #vm-002')
  })

  test("typing hostname into vm-001's console shows vm-001; the command line's vm and stop-vm still work", async () => {
    await page.click('#vms li[data-hostname="vm-001"]')
    await page.click('#open-console')
    await page.waitForSelector('.console[data-hostname="vm-001"] .xterm-rows')
    await page.click('.console[data-hostname="vm-001"] .xterm-screen')
    await page.keyboard.type('hostname\n')
    await until('vm-001 on its own line', async () =>
      (await consoleText('vm-001')).some((row) => row.trim() === 'vm-001'),
    ).catch(async (error: Error) => {
      await shot('failed-console')
      throw new Error(`${error.message}; the console shows:\n${(await consoleText('vm-001')).join('\n')}`)
    })
    await shot('02-console')
    // The page holds a console: the command line attaches to it too, and pauses a VM.
    const typed = `(printf 'echo cli-$((6*7))\\r'; sleep 2; printf '\\035') | ${XCLUSTER_BIN} vm 1`
    const attached = await ns.exec('sh', ['-c', typed], { cwd: dir })
    expect(attached.stdout).toContain('cli-42')
    const paused = await xc('stop-vm', '2')
    expect(paused.exitCode).toBe(0)
    // Within 2 s of the command's return (QMP's STOP event reaches the page at once).
    await page.waitForSelector('#vms li[data-hostname="vm-002"][data-state="paused"]', { timeout: 2000 })
    await shot('03-paused')
    expect((await xc('cont-vm', '2')).exitCode).toBe(0)
    await page.waitForSelector('#vms li[data-hostname="vm-002"][data-state="up"]', { timeout: 2000 })
  })

  test("vm-001's link on net 1 taken down from the page: the guest sees NO-CARRIER, the page marks it", async () => {
    await page.click('#vms li[data-hostname="vm-001"]')
    // A user-space net has no interface on the host to count on.
    expect(await page.$eval('#nets .net[data-net="1"] .rate', (rate) => rate.textContent)).toBe('n/a')
    await page.click('#nets .net[data-net="1"] .link')
    await until('the link marked down', async () => (await edgeClass('vm-001-net1')).includes('link-down'))
    const seen = await xc('rsh', '1', 'ip link show eth1')
    expect(seen.stdout).toContain('NO-CARRIER')
    await shot('04-link-down')
    await page.click('#nets .net[data-net="1"] .link')
    await until('the link marked up', async () => !(await edgeClass('vm-001-net1')).includes('link-down'))
    await until(
      'the guest has its carrier',
      async () => !(await xc('rsh', '1', 'ip link show eth1')).stdout.includes('NO-CARRIER'),
    )
  })

  test('the capture panel shows ICMP lines while vm-002 pings vm-001, then offers the pcap', async () => {
    await page.click('#vms li[data-hostname="vm-001"]')
    await page.type('#nets .net[data-net="1"] .filter', 'icmp')
    await page.click('#nets .net[data-net="1"] .capture')
    await until('tcpdump listening', async () =>
      (await page.$eval('#capture-lines', (pre) => pre.textContent ?? '')).includes('listening on eth1'),
    )
    expect((await xc('rsh', '2', 'ping -c3 -i0.3 192.168.1.1')).exitCode).toBe(0)
    await until('ICMP lines', async () =>
      (await page.$eval('#capture-lines', (pre) => pre.textContent ?? '')).includes('ICMP echo request'),
    )
    await shot('05-capture')
    await page.click('#capture-stop')
    await page.waitForSelector('#capture-file:not([hidden])', { timeout: 30_000 })
    const pcap = await page.$eval('#capture-file', async (link) => {
      const bytes = new Uint8Array(await (await fetch((link as HTMLAnchorElement).href)).arrayBuffer())
      return { size: bytes.length, magic: [...bytes.slice(0, 4)] }
    })
    // A pcap file (little-endian magic a1b2c3d4) with the header and packets.
    expect(pcap.magic).toEqual([0xd4, 0xc3, 0xb2, 0xa1])
    expect(pcap.size).toBeGreaterThan(24 + 3 * 98)
  })

  test('a netem preset from the page marks the link and delays the packets; values of its own replace it', async () => {
    await page.click('#vms li[data-hostname="vm-002"]')
    await page.select('#nets .net[data-net="1"] .netem', 'delay 100ms')
    await until('the link marked shaped', async () => (await edgeClass('vm-002-net1')).includes('netem'))
    const ping = await xc('rsh', '1', 'ping -c4 -i0.2 192.168.1.2')
    const min = Number(/= ([\d.]+)\//.exec(ping.stdout)?.[1])
    // Unshaped, a round trip here takes a few ms; each of the four had the 100 ms added.
    expect(min).toBeGreaterThanOrEqual(95)
    await shot('06-netem')
    // Values of one's own replace the preset.
    await page.type('#nets .net[data-net="1"] .netem-values', 'delay=40ms loss=2%')
    await page.click('#nets .net[data-net="1"] .netem-set')
    const netem = () => page.$eval('#vm-002-net1', (edge) => (edge as HTMLElement).dataset.netem ?? '')
    await until('the values on the link', async () => /delay 40ms.*loss 2%/.test(await netem()))
    await page.select('#nets .net[data-net="1"] .netem', 'clear')
    await until('the shaping cleared', async () => !(await edgeClass('vm-002-net1')).includes('netem'))
  })

  test("a VM paused, continued and reset from the page's buttons; a VM added and removed", async () => {
    const vm2 = (state: string) => `#vms li[data-hostname="vm-002"][data-state="${state}"]`
    await page.click('#vms li[data-hostname="vm-002"]')
    await page.click('[data-call="stop-vm"]')
    await page.waitForSelector(vm2('paused'))
    await page.click('[data-call="cont-vm"]')
    await page.waitForSelector(vm2('up'))
    await page.click('[data-call="reset-vm"]')
    // Booting again until its console says it is ready.
    await page.waitForSelector(vm2('booting'))
    await page.waitForSelector(vm2('up'), { timeout: 60_000 })
    await page.$eval('#scale-ids', (input) => {
      ;(input as HTMLInputElement).value = '3'
    })
    await page.click('#scale-out')
    await page.waitForSelector('#vms li[data-hostname="vm-003"][data-state="up"]', { timeout: 60_000 })
    await page.waitForSelector('#picture svg #vm-003')
    await shot('09-scaled-out')
    await page.click('#scale-in')
    await until('vm-003 gone', async () => (await page.$('#vms li[data-hostname="vm-003"]')) === null, 60)
  }, 180_000)

  test('a snapshot saved from the page is there for the command line', async () => {
    await page.$eval(
      '#snapshot-name',
      (input, name) => {
        ;(input as HTMLInputElement).value = name
      },
      SNAPSHOT,
    )
    await page.click('#snapshot-save')
    await until('the snapshot listed', async () => (await xc('snapshot', 'list')).stdout.includes(SNAPSHOT), 120)
    await until('the page says it is done', async () =>
      (await page.$eval('#log', (pre) => pre.textContent ?? '')).includes(`snapshot save ${SNAPSHOT}: done`),
    )
    await shot('07-snapshot')
  })

  test('a fault timeline run from the page draws each step as it fires, its check PASS', async () => {
    await page.click('#run-timeline')
    await until(
      'every check passed',
      async () =>
        (await page.$eval('#log', (pre) => pre.textContent ?? '')).includes('fault timeline: every check passed'),
      60,
    )
    const steps = await page.$$eval('#steps li', (items) => items.map((item) => [item.className, item.textContent]))
    expect(steps.filter(([kind]) => kind === 'pass').length).toBe(1)
    expect(steps.filter(([kind]) => kind === 'fail')).toEqual([])
    // Its last step took the link up again.
    await until('the link marked up', async () => !(await edgeClass('vm-001-net1')).includes('link-down'))
    await shot('08-faults')
  })
})

describe("the page's server lets in only the page", () => {
  test('without the token: 401 for the page, the API, the events and a console; from another site: 403', async () => {
    const base = `http://127.0.0.1:${ui.port}`
    for (const path of ['/', '/api/state', '/events', '/api/openapi.json'])
      expect([path, (await curlIn(ns, `${base}${path}`)).status]).toEqual([path, 401])
    const upgrade = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    }
    const socket = await ns.enter('curl', [
      '-s',
      '-i',
      '-m',
      '3',
      ...Object.entries(upgrade).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
      `${base}/console/1`,
    ])
    expect(socket.stdout).toMatch(/^HTTP\/1\.1 401/)
    const withToken = `${base}/api/state?token=${ui.token}`
    expect((await curlIn(ns, withToken)).status).toBe(200)
    expect((await curlIn(ns, withToken, { Host: 'rebound.example:80' })).status).toBe(403)
    expect((await curlIn(ns, withToken, { Origin: 'http://evil.example' })).status).toBe(403)
    // What a refusal says: nothing about the cluster.
    expect((await curlIn(ns, `${base}/api/state`)).body).toBe('401\n')
  })

  test('a bad --port or a port taken is refused, naming it; nothing is left of the refused one', async () => {
    const scratches = async () =>
      (await readdir(tmpdir())).filter((name) => name.startsWith('xcluster-ui-server-')).sort()
    const before = await scratches()
    const bad = await xc('ui', '--port=70000')
    expect([bad.exitCode, bad.stderr]).toEqual([
      1,
      expect.stringContaining('--port=70000: must be a port number from 0 to 65535'),
    ])
    const taken = await xc('ui', `--port=${ui.port}`)
    expect([taken.exitCode, taken.stderr]).toEqual([
      1,
      expect.stringContaining(`cannot listen on 127.0.0.1:${ui.port}: listen EADDRINUSE`),
    ])
    expect(await scratches()).toEqual(before)
    // The server that has the port goes on, its token as it was.
    expect((await curlIn(ns, `http://127.0.0.1:${ui.port}/api/state?token=${ui.token}`)).status).toBe(200)
  })

  test('a second real user of the machine reaches no console: no token, no state directory, no socket', async () => {
    const { stateDir } = JSON.parse((await curlIn(ns, `http://127.0.0.1:${ui.port}/api/state?token=${ui.token}`)).body)
    await OtherUser.during('ui', async (user) => {
      const asked = await user.run(
        'curl',
        ['-s', '-m', '3', '-w', '%{http_code}', `http://127.0.0.1:${ui.port}/api/state`],
        {
          netns: ns.name,
        },
      )
      expect(asked.stdout).toBe('401\n401')
      expect((await user.run('cat', [join(stateDir, 'ui-token')])).exitCode).not.toBe(0)
      const connect =
        `require('net').connect(${JSON.stringify(join(stateDir, 'vm-001.console'))})` +
        `.on('error', (e) => console.log(e.code)).on('connect', () => console.log('connected'))`
      expect((await user.run(process.execPath, ['-e', connect])).stdout).toBe('EACCES')
    })
  })

  test.each([
    ["the page's server (in the server's netns)", false, "the events of the page's server"],
    ['its own watch (in another netns, where the server is out of reach)', true, 'watching the cluster in'],
  ])('xcluster events --json prints the changes as they happen, one object per line, from %s', async (_, far, says) => {
    // Away, the cluster is named by its state directory (the default one is the netns's own).
    const { stateDir } = JSON.parse((await curlIn(ns, `http://127.0.0.1:${ui.port}/api/state?token=${ui.token}`)).body)
    const watching = far
      ? away.exec(XCLUSTER_BIN, ['events', '--json', `--state-dir=${stateDir}`], { cwd: dir })
      : ns.exec(XCLUSTER_BIN, ['events', '--json'], { cwd: dir })
    let out = ''
    watching.stdout?.on('data', (chunk: Buffer) => {
      out += String(chunk)
    })
    try {
      await until('the whole state first', async () => out.includes('"kind":"reset"'))
      expect((await xc('link', '1', '1', 'down')).exitCode).toBe(0)
      await until('the link event', async () => out.includes('"kind":"link"'))
      expect((await xc('link', '1', '1', 'up')).exitCode).toBe(0)
      await until('the link up', async () => out.includes('"up":true'))
    } finally {
      watching.kill('SIGINT')
      await watching
      // Whatever happened, the other tests find the link up.
      await xc('link', '1', '1', 'up')
    }
    const events = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(events.map((event) => event.kind)).toEqual(['reset', 'link', 'link'])
    expect(events[0].data.vms.map((vm: { hostname: string; state: string }) => `${vm.hostname} ${vm.state}`)).toEqual([
      'vm-001 up',
      'vm-002 up',
    ])
    expect(events[1]).toEqual({ id: expect.any(String), kind: 'link', data: { hostname: 'vm-001', net: 1, up: false } })
    expect((await watching).stderr).toContain(says)
  })

  test('its OpenAPI document names the endpoints the page calls', async () => {
    const doc = JSON.parse((await curlIn(ns, `http://127.0.0.1:${ui.port}/api/openapi.json?token=${ui.token}`)).body)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/link', '/api/netem', '/api/snapshot']))
  })

  test('a client back with Last-Event-ID gets what it missed; one too far behind gets the whole state', async () => {
    const events = `http://127.0.0.1:${ui.port}/events?token=${ui.token}`
    const first = await ns.enter('curl', ['-s', '-N', '-m', '3', events])
    const lastId = /^id: (\S+)$/m.exec(first.stdout)?.[1]
    expect(first.stdout).toMatch(/^event: reset$/m)
    expect((await xc('link', '2', '1', 'down')).exitCode).toBe(0)
    expect((await xc('link', '2', '1', 'up')).exitCode).toBe(0)
    await sleep(1000)
    const missed = await ns.enter('curl', ['-s', '-N', '-m', '3', '-H', `Last-Event-ID: ${lastId}`, events])
    expect(missed.stdout).not.toMatch(/^event: reset$/m)
    expect(missed.stdout).toContain('data: {"hostname":"vm-002","net":1,"up":false}')
    expect(missed.stdout).toContain('data: {"hostname":"vm-002","net":1,"up":true}')
    const stale = await ns.enter('curl', ['-s', '-N', '-m', '3', '-H', 'Last-Event-ID: 0.1', events])
    expect(stale.stdout).toMatch(/^event: reset$/m)
  })
})
