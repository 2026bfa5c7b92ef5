// The page of `xcluster ui`: the cluster's picture with each VM's state and links live (from /events), its consoles
// (xterm.js over /console/ID), captures (/capture), and every action through the operations' endpoints (/api/NAME).
const token = new URLSearchParams(location.search).get('token') ?? ''
/** What every request of the page carries besides its cookie: the token. */
const AUTHORIZED = { authorization: `Bearer ${token}` }
const $ = (selector) => document.querySelector(selector)
const NETEM_PRESETS = {
  'delay 100ms': { delay: '100ms' },
  'delay 50ms, jitter 10ms': { delay: '50ms', jitter: '10ms' },
  'loss 10%': { loss: '10%' },
  'rate 1mbit': { rate: '1mbit' },
}
let state = { stateDir: '', vms: [], shaped: [] }
/** Each VM's NICs' rates (bytes per second, from the VM's side), from the last `rates` event. */
let rates = {}
const perSecond = (bytes) =>
  bytes >= 1e6
    ? `${(bytes / 1e6).toFixed(1)} MB/s`
    : bytes >= 1e3
      ? `${(bytes / 1e3).toFixed(1)} kB/s`
      : `${Math.round(bytes)} B/s`
let selected
const selectedVm = () => state.vms.find((vm) => vm.hostname === selected)

function log(line) {
  const out = $('#log')
  out.textContent = `${out.textContent}${new Date().toISOString().slice(11, 19)} ${line}\n`
    .split('\n')
    .slice(-200)
    .join('\n')
  out.scrollTop = out.scrollHeight
}

async function call(name, body = {}) {
  const response = await fetch(`/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTHORIZED },
    body: JSON.stringify(body),
  })
  const answer = await response.json()
  log(`${name} ${(body.args ?? []).join(' ')}: ${answer.error ?? (answer.exit === 0 ? 'done' : `exit ${answer.exit}`)}`)
  if (answer.exit !== 0 && answer.output) log(answer.output.trim().split('\n').slice(-3).join(' | '))
  return answer
}

async function drawPicture() {
  const response = await fetch('/api/picture', { headers: AUTHORIZED })
  $('#picture').innerHTML = response.ok ? await response.text() : ''
  for (const vm of state.vms) {
    const box = document.getElementById(vm.hostname)
    box?.addEventListener('click', () => select(vm.hostname))
    for (const net of vm.nets)
      document.getElementById(`${vm.hostname}-net${net}`)?.addEventListener('click', () => select(vm.hostname))
  }
  paint()
}

/** Each VM's state and each link's on the picture and in the list. */
function paint() {
  $('#state-dir').textContent = state.stateDir
  const list = $('#vms')
  list.replaceChildren(
    ...state.vms.map((vm) => {
      const item = document.createElement('li')
      item.dataset.hostname = vm.hostname
      item.dataset.state = vm.state
      item.dataset.selected = vm.hostname === selected ? 'yes' : 'no'
      item.textContent = `${vm.hostname} ${vm.state}`
      item.addEventListener('click', () => select(vm.hostname))
      return item
    }),
  )
  for (const vm of state.vms) {
    const box = document.getElementById(vm.hostname)
    if (box) box.setAttribute('class', `node state-${vm.state}`)
    // The drawing's line of the state (running, paused, down, as status drew it) says the state now.
    for (const text of box?.querySelectorAll('text') ?? [])
      if (/^(running|paused|down|up|booting)$/.test(text.textContent)) text.textContent = vm.state
    for (const net of vm.nets) {
      const edge = document.getElementById(`${vm.hostname}-net${net}`)
      if (!edge) continue
      const shaped = state.shaped.find((s) => s.hostname === vm.hostname && s.net === net)
      const marks = ['edge', vm.linksDown.includes(net) ? 'link-down' : '', shaped ? 'netem' : '']
      edge.setAttribute('class', marks.filter(Boolean).join(' '))
      edge.dataset.netem = shaped?.netem ?? ''
    }
  }
  showSelected()
  showRates()
}

/** The selected VM's NICs' rates: what each sent and received per second, or n/a (no interface on the host). */
function showRates() {
  const vm = selectedVm()
  if (!vm) return
  vm.nets.forEach((net, k) => {
    const rate = rates[vm.hostname]?.[k]
    const shown = document.querySelector(`#nets .net[data-net="${net}"] .rate`)
    if (shown) shown.textContent = rate ? `sent ${perSecond(rate.sent)}, received ${perSecond(rate.received)}` : 'n/a'
  })
}

function select(hostname) {
  selected = hostname
  paint()
}

function showSelected() {
  const vm = selectedVm()
  $('#vm-panel').hidden = vm === undefined
  if (!vm) return
  $('#vm-title').textContent = `${vm.hostname} (${vm.role}, ${vm.state})`
  const nets = $('#nets')
  if (nets.dataset.of === `${vm.hostname} ${vm.nets} ${vm.linksDown}`) return
  nets.dataset.of = `${vm.hostname} ${vm.nets} ${vm.linksDown}`
  nets.replaceChildren(
    ...vm.nets.map((net, k) => {
      const row = document.createElement('div')
      row.className = 'net row'
      row.dataset.net = String(net)
      const down = vm.linksDown.includes(net)
      row.innerHTML =
        `<span>net ${net} (eth${k})</span><span class="rate">n/a</span>` +
        `<button class="link">${down ? 'Link up' : 'Link down'}</button>` +
        `<select class="netem"><option value="">netem...</option>${Object.keys(NETEM_PRESETS)
          .map((name) => `<option>${name}</option>`)
          .join('')}<option value="clear">clear</option></select>` +
        '<input class="netem-values" size="14" placeholder="delay=30ms loss=1%" aria-label="netem values" />' +
        '<button class="netem-set">Set</button>' +
        `<input class="filter" size="8" placeholder="filter" aria-label="capture filter" />` +
        '<button class="capture">Capture</button>'
      row
        .querySelector('.link')
        .addEventListener('click', () => call('link', { args: [String(vm.id), String(net), down ? 'up' : 'down'] }))
      row.querySelector('.netem').addEventListener('change', (event) => {
        const choice = event.target.value
        if (!choice) return
        const flags = choice === 'clear' ? { clear: true } : NETEM_PRESETS[choice]
        call('netem', { args: [String(vm.id), String(net)], flags })
        event.target.value = ''
      })
      // Values of its own: netem's flags as `name=value` words (delay, jitter, loss, rate), checked by the operation.
      row.querySelector('.netem-set').addEventListener('click', () => {
        const words = row.querySelector('.netem-values').value.split(/\s+/).filter(Boolean)
        const flags = Object.fromEntries(words.map((word) => [word.split('=')[0], word.split('=').slice(1).join('=')]))
        call('netem', { args: [String(vm.id), String(net)], flags })
      })
      row
        .querySelector('.capture')
        .addEventListener('click', () => startCapture(vm, `eth${k}`, row.querySelector('.filter').value))
      return row
    }),
  )
}

function openConsole(vm) {
  const box = document.createElement('div')
  box.className = 'console'
  box.dataset.hostname = vm.hostname
  box.innerHTML = `<header>${vm.hostname} <button>Close</button></header><div class="screen"></div>`
  $('#consoles').append(box)
  const terminal = new window.Terminal({ cols: 100, rows: 24, convertEol: false, scrollback: 5000 })
  terminal.open(box.querySelector('.screen'))
  const socket = new WebSocket(`ws://${location.host}/console/${vm.id}?token=${encodeURIComponent(token)}`)
  socket.binaryType = 'arraybuffer'
  socket.onmessage = (message) =>
    terminal.write(typeof message.data === 'string' ? message.data : new Uint8Array(message.data))
  terminal.onData((data) => socket.readyState === WebSocket.OPEN && socket.send(data))
  box.querySelector('button').addEventListener('click', () => {
    socket.close()
    terminal.dispose()
    box.remove()
  })
  terminal.focus()
}

function startCapture(vm, iface, filter) {
  $('#capture').hidden = false
  $('#capture-of').textContent = `${vm.hostname} ${iface} ${filter}`
  $('#capture-lines').textContent = ''
  $('#capture-file').hidden = true
  const query = new URLSearchParams({ vm: String(vm.id), iface, filter, token })
  const socket = new WebSocket(`ws://${location.host}/capture?${query}`)
  socket.onmessage = (message) => {
    const said = JSON.parse(message.data)
    if (said.lines) {
      const out = $('#capture-lines')
      out.textContent += said.lines
      out.scrollTop = out.scrollHeight
    }
    if (said.pcap) {
      const link = $('#capture-file')
      link.href = `/captures/${said.pcap}`
      link.download = said.pcap
      link.hidden = false
    }
    if (said.error) log(`capture: ${said.error.trim()}`)
  }
  $('#capture-stop').onclick = () => socket.readyState === WebSocket.OPEN && socket.send('stop')
}

function onEvents() {
  const events = new EventSource(`/events?token=${encodeURIComponent(token)}`)
  events.onopen = () => {
    $('#connection').dataset.connected = 'yes'
    $('#connection').textContent = 'live'
  }
  events.onerror = () => {
    $('#connection').dataset.connected = 'no'
    $('#connection').textContent = 'reconnecting'
  }
  const vmOf = (hostname) => state.vms.find((vm) => vm.hostname === hostname)
  events.addEventListener('reset', (event) => {
    state = JSON.parse(event.data)
    drawPicture()
  })
  events.addEventListener('state', (event) => {
    const { hostname, state: now } = JSON.parse(event.data)
    const vm = vmOf(hostname)
    if (vm) vm.state = now
    log(`${hostname} ${now}`)
    paint()
  })
  events.addEventListener('link', (event) => {
    const { hostname, net, up } = JSON.parse(event.data)
    const vm = vmOf(hostname)
    if (vm) vm.linksDown = up ? vm.linksDown.filter((n) => n !== net) : [...vm.linksDown, net]
    log(`${hostname} net ${net} link ${up ? 'up' : 'down'}`)
    paint()
  })
  events.addEventListener('netem', (event) => {
    const shaped = JSON.parse(event.data)
    state.shaped = state.shaped.filter((s) => s.hostname !== shaped.hostname || s.net !== shaped.net)
    if (shaped.netem) state.shaped.push(shaped)
    log(`${shaped.hostname} net ${shaped.net} netem ${shaped.netem || 'cleared'}`)
    paint()
  })
  for (const kind of ['added', 'removed'])
    events.addEventListener(kind, async (event) => {
      const data = JSON.parse(event.data)
      log(`${data.hostname} ${kind}`)
      state = await (await fetch('/api/state', { headers: AUTHORIZED })).json()
      drawPicture()
    })
  events.addEventListener('rates', (event) => {
    rates = JSON.parse(event.data)
    showRates()
  })
  events.addEventListener('output', (event) => {
    const { operation, text } = JSON.parse(event.data)
    if (operation !== 'faults') return
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
      const step = document.createElement('li')
      step.textContent = line
      step.className = /\bPASS\b/.test(line) ? 'pass' : /\bFAIL\b/.test(line) ? 'fail' : ''
      $('#steps').append(step)
    }
  })
}

$('#open-console').addEventListener('click', () => {
  const vm = selectedVm()
  if (vm) openConsole(vm)
})
for (const button of document.querySelectorAll('[data-call]'))
  button.addEventListener('click', () => {
    const vm = selectedVm()
    if (vm) call(button.dataset.call, { args: [String(vm.id)] })
  })
$('#snapshot-save').addEventListener('click', () => call('snapshot', { args: ['save', $('#snapshot-name').value] }))
$('#snapshot-restore').addEventListener('click', () =>
  call('snapshot', { args: ['restore', $('#snapshot-name').value] }),
)
$('#scale-out').addEventListener('click', () =>
  call('scaleout', { args: $('#scale-ids').value.split(/\s+/).filter(Boolean) }),
)
$('#scale-in').addEventListener('click', () =>
  call('scalein', { args: $('#scale-ids').value.split(/\s+/).filter(Boolean) }),
)
$('#timeline').value = JSON.stringify(
  [
    { at: '0s', link: [1, 1], state: 'down' },
    { at: '1s', rsh: [1, 'ip link show eth1 | grep -q NO-CARRIER'] },
    { at: '2s', link: [1, 1], state: 'up' },
  ],
  null,
  1,
)
$('#run-timeline').addEventListener('click', async () => {
  $('#steps').replaceChildren()
  const response = await fetch('/lab/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTHORIZED },
    body: JSON.stringify({ steps: JSON.parse($('#timeline').value) }),
  })
  const answer = await response.json()
  log(`fault timeline: ${answer.error ?? (answer.exit === 0 ? 'every check passed' : 'a check failed')}`)
})
onEvents()
