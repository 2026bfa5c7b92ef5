import { describe, expect, test } from '@jest/globals'
import { roleOf } from '@xcluster/core'
import { place } from '../src/placement.js'

const nodes = (...ids: number[]) => ids.map((id) => ({ id, role: roleOf(id)! }))
const two = [{ name: 'h1' }, { name: 'h2' }]

describe('placing VMs on hosts', () => {
  test('each role is spread over the hosts in turn, the lighter host first on a tie', () => {
    expect(place(two, {}, nodes(1, 2, 3, 201, 202, 221), roleOf)).toEqual({
      1: 'h1',
      2: 'h2',
      3: 'h1',
      201: 'h2',
      202: 'h1',
      221: 'h2',
    })
  })

  test('a VM added later goes where its role has fewest VMs', () => {
    const placed = place(two, {}, nodes(1, 2, 3, 201, 202, 221), roleOf)
    expect(place(two, placed, nodes(4), roleOf)[4]).toBe('h2')
  })

  test("a host's nodes list wins, and the others fill in around it", () => {
    const hosts = [{ name: 'a', nodes: [201, 202] }, { name: 'b' }]
    expect(place(hosts, {}, nodes(1, 2, 201, 202), roleOf)).toEqual({ 1: 'b', 2: 'a', 201: 'a', 202: 'a' })
  })

  test('a placed VM keeps its host, and no host means no placement', () => {
    expect(place(two, { 1: 'h2' }, nodes(1), roleOf)).toEqual({ 1: 'h2' })
    expect(place([], {}, nodes(1, 2), roleOf)).toEqual({})
  })
})
