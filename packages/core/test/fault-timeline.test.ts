import { describe, expect, test } from '@jest/globals'
import { parseTimeline, timeMs } from '../src/faults/timeline.js'

/** The lines of the error that a timeline of `steps` (named bad.json) is refused with. */
function problemsOf(steps: unknown[]): string[] {
  try {
    parseTimeline(steps, 'bad.json')
  } catch (error) {
    return (error as Error).message.split('\n')
  }
  return []
}

describe('a fault timeline is checked whole before it runs, and runs in time order', () => {
  test('times: ms, s and m, at most an hour', () => {
    expect([timeMs('500ms'), timeMs('2s'), timeMs('1.5s'), timeMs('1m')]).toEqual([500, 2000, 1500, 60_000])
    expect([timeMs('2'), timeMs('-1s'), timeMs('61m'), timeMs(2)]).toEqual([undefined, undefined, undefined, undefined])
  })

  test('steps are ordered by time, those of one time as written', () => {
    const steps = parseTimeline(
      [
        { at: '3s', rsh: [1, 'true'] },
        { at: '1s', link: [2, 1], state: 'down' },
        { at: '3s', link: [2, 1], state: 'up' },
        { at: '500ms', netem: [2, 1], delay: '100ms' },
      ],
      'flap.json',
    )
    expect(steps.map((step) => step.atMs)).toEqual([500, 1000, 3000, 3000])
    expect(steps[2]).toEqual({ at: '3s', rsh: [1, 'true'], atMs: 3000 })
  })

  test('every step with a problem is named with its number and the rule', () => {
    const bad = [
      { at: 'soon', link: [2, 1], state: 'down' },
      { at: '1s', link: [2], state: 'down' },
      { at: '1s', link: [2, 1], state: 'sideways' },
      { at: '1s', rsh: [1, 'true'], netem: [2, 1] },
      { at: '1s', rsh: [1, 'true'], expect: 'maybe' },
      { at: '1s', 'stop-vm': 241 },
      { at: '1s', netem: [2, 1], delay: '5ms', clear: false },
      { at: '1s', 'cont-vm': 2, note: 'x' },
    ]
    expect(problemsOf(bad)).toEqual([
      'bad.json:',
      expect.stringMatching(/^ {2}step 1 .*: at must be a time like 2s, 500ms or 1.5s, at most 60m$/),
      expect.stringMatching(/^ {2}step 2 .*: link must be \[VM id, net\], e.g. \[2, 1\]$/),
      expect.stringMatching(/^ {2}step 3 .*: state must be down or up$/),
      expect.stringMatching(
        /^ {2}step 4 .*: needs one of link, netem, stop-vm, cont-vm, reset-vm, rsh \(found netem, rsh\)$/,
      ),
      expect.stringMatching(/^ {2}step 5 .*: expect must be pass or fail$/),
      expect.stringMatching(/^ {2}step 6 .*: stop-vm must be a VM id \(1-240\)$/),
      expect.stringMatching(/^ {2}step 7 .*: clear must be true when given$/),
      expect.stringMatching(/^ {2}step 8 .*: note is not a field of a cont-vm step$/),
    ])
  })

  test('netem values of the wrong type or form are refused with the rest of the timeline, before any step runs', () => {
    const bad = [
      { at: '1s', netem: [2, 1], loss: { toString: '1%' } },
      { at: '1s', netem: [2, 1], delay: 123 },
      { at: '1s', netem: [2, 1], delay: ['50ms'] },
      { at: '1s', netem: [2, 1], loss: '200%' },
      { at: '1s', netem: [2, 1] },
      { at: '1s', netem: [2, 1], clear: true, delay: '5ms' },
    ]
    expect(problemsOf(bad)).toEqual([
      'bad.json:',
      expect.stringMatching(/^ {2}step 1 .*: loss=\{"toString":"1%"\}: must be text$/),
      expect.stringMatching(/^ {2}step 2 .*: delay=123: must be text$/),
      expect.stringMatching(/^ {2}step 3 .*: delay=\["50ms"\]: must be text$/),
      expect.stringMatching(/^ {2}step 4 .*: loss="200%": must be a percentage from 0% to 100%/),
      expect.stringMatching(/^ {2}step 5 .*: netem needs delay, loss or rate/),
      expect.stringMatching(/^ {2}step 6 .*: clear takes no delay, jitter, loss or rate$/),
    ])
  })

  test('a timeline is a list of 1 to 500 steps', () => {
    expect(() => parseTimeline({ at: '1s' }, 'x.json')).toThrow('x.json: a fault timeline is a list of steps')
    expect(() => parseTimeline([], 'x.json')).toThrow('a fault timeline has 1 to 500 steps (found 0)')
  })
})
