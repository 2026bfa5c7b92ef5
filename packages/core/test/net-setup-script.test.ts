import { describe, expect, test } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { runCli } from './cli-run.js'

const script = (name: string) => fileURLToPath(new URL(`./fixtures/net-setup/${name}`, import.meta.url))
const dryRun = (env: NodeJS.ProcessEnv, ...options: string[]) =>
  runCli(['start', '--dry-run', '--nvm=1', '--nrouters=0', ...options], '/', env)

describe("__net_setup: a script attaches each NIC, the shell tool's contract", () => {
  test("its stdout, split at white space, is the NIC's qemu options, in nets order, before the backend", async () => {
    const { status, stdout, stderr } = await dryRun({ __net_setup: script('userspace.sh') })
    expect([status, stderr]).toEqual([0, ''])
    expect(stdout).toContain(
      '-device virtio-net-pci,netdev=net0,mac=00:00:00:01:00:01 -netdev' +
        ' user,id=net0,net=192.168.0.1/24,host=192.168.0.250,hostfwd=tcp:127.0.0.1:12301-192.168.0.1:22 ' +
        '-device virtio-net-pci,netdev=net1,mac=00:00:00:01:01:01 -netdev' +
        ' socket,id=net1,mcast=224.0.0.121:27030,localaddr=127.0.0.1',
    )
    // The user-space backend's own net 0 (with IPv6) is not there: the script answered first.
    expect(stdout).not.toContain('ipv6-net')
  })
  test('netSetupScript in the config, or --net-setup, is the same as __net_setup', async () => {
    const { stdout } = await dryRun({}, `--net-setup=${script('userspace.sh')}`)
    expect(stdout).toContain('hostfwd=tcp:127.0.0.1:12301-192.168.0.1:22')
  })
  test('a failing script stops the start, naming node, net, exit status and its stderr', async () => {
    const { status, stderr } = await dryRun({ __net_setup: script('fails.sh') })
    expect(status).toBe(1)
    expect(stderr).toBe(
      `xcluster start: __net_setup ${script('fails.sh')} 1 1 (vm-001, net 1) failed with exit status 3; nothing was` +
        ` started. Its stderr:\nno bridge for net 1 of vm 1\n`,
    )
  })
  test('a script that prints nothing, or a path not executable, is an error, not a silent fallback', async () => {
    const silent = await dryRun({ __net_setup: script('silent.sh') })
    expect([silent.status, silent.stderr]).toEqual([
      1,
      `xcluster start: __net_setup ${script('silent.sh')} 1 0 (vm-001, net 0) printed no qemu options;` +
        ' it must print the -netdev and -device words of that NIC on stdout (logs go to stderr);' +
        ' nothing was started\n',
    ])
    const plain = await dryRun({ __net_setup: script('not-executable.sh') })
    expect([plain.status, plain.stderr]).toEqual([
      1,
      `xcluster start: __net_setup ${script('not-executable.sh')} 1 0 (vm-001, net 0):` +
        ` ${script('not-executable.sh')} is not an executable file; nothing was started\n`,
    ])
  })
})
