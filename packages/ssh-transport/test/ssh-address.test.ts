import { describe, expect, test } from '@jest/globals'
import { sshVia } from '../src/ssh-address.js'
import { sshWords } from '../src/ssh-machine.js'

describe('a machine reached over ssh', () => {
  test('ssh://USER@ADDRESS[:PORT][/PROJECT]: user, address, port and the project xcluster is in there', () => {
    expect(sshVia('ssh://root@10.0.0.2:2222/opt/lab')).toEqual({
      user: 'root',
      address: '10.0.0.2',
      port: 2222,
      project: '/opt/lab',
    })
    expect(sshVia('ssh://root@[fd00::2]')).toEqual({ user: 'root', address: 'fd00::2' })
    expect(sshVia('ssh://root@lab2.example/')).toEqual({ user: 'root', address: 'lab2.example' })
  })

  test('no word of it may become an option of ssh, nor the port be out of range', () => {
    for (const via of ['ssh://root@-oProxyCommand=x', 'ssh://root@10.0.0.2:0', 'ssh://root@a/x y', 'netns:lab'])
      expect(sshVia(via)).toBeUndefined()
  })

  test("its ssh words: the machine's config, never a question, given up after 15 s, through a control socket", () => {
    expect(sshWords({ via: 'ssh://root@10.0.0.2:2222', sshConfig: '/p/ssh_config', control: '/s/ctl' })).toEqual([
      '-F',
      '/p/ssh_config',
      ...['BatchMode=yes', 'ConnectTimeout=10', 'ServerAliveInterval=5', 'ServerAliveCountMax=3']
        .concat(['ControlPath=/s/ctl', 'ControlMaster=no'])
        .flatMap((option) => ['-o', option]),
      '-p',
      '2222',
      'root@10.0.0.2',
    ])
    expect(() => sshWords({ via: 'netns:lab' })).toThrow('netns:lab is not ssh://USER@ADDRESS[:PORT][/PROJECT]')
  })
})
