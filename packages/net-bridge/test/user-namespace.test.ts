import { describe, expect, test } from '@jest/globals'
import { subordinateStart } from '../src/user-account.js'
import { enterArgv, idMaps } from '../src/user-namespace.js'

const alice = { name: 'alice', uid: 1001, gid: 1001, groups: [1001, 993, 0], subuid: 100000, subgid: 200000 }

describe("the user namespace of a user's cluster netns", () => {
  test('maps the user to themselves, root inside to their first subordinate id, their groups (not 0) as is', () => {
    expect(idMaps(alice)).toEqual({
      uid: '0 100000 1\n1001 1001 1\n',
      gid: '0 200000 1\n1001 1001 1\n993 993 1\n',
    })
  })

  test("takes the first range of the user's name or uid from /etc/subuid, none when there is none", () => {
    const file = 'bob:300000:65536\n1001:100000:65536\nalice:400000:65536\ncarol:500000:0\n'
    expect(subordinateStart(file, 'alice', 1001)).toBe(100000)
    expect(subordinateStart(file, 'bob', 1002)).toBe(300000)
    expect(subordinateStart(file, 'carol', 1003)).toBeUndefined()
    expect(subordinateStart('', 'dave', 1004)).toBeUndefined()
  })

  test('enters through the user namespace, then is the user again with the network capabilities of that netns', () => {
    expect(enterArgv('alice_xcluster2', 1001, 1001, ['xcluster', 'start'])).toEqual([
      'nsenter',
      '--user=/run/xcluster-userns/alice_xcluster2',
      '--net=/run/netns/alice_xcluster2',
      '--',
      'setpriv',
      '--reuid=1001',
      '--regid=1001',
      '--init-groups',
      '--inh-caps=+net_admin,+net_raw,+net_bind_service',
      '--ambient-caps=+net_admin,+net_raw,+net_bind_service',
      '--',
      'xcluster',
      'start',
    ])
  })
})
