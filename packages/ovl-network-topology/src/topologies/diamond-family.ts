import type { TopologySpec } from '../spec.js'
import { at, leaf, router } from './parts.js'

const ends = {
  vm: { nets: [0, 1], setup: leaf(at(201, 1)) },
  tester: { nets: [0, 2], setup: leaf(at(202, 2)) },
}

export const diamond: TopologySpec = {
  name: 'diamond',
  description: 'two edge routers joined by two middle routers, ECMP over both',
  routers: 4,
  testers: 1,
  roles: { ...ends, router: { nets: [0, 1, 2], setup: router([]) } },
  groups: [
    { ids: 201, nets: [0, 1, 3, 4], setup: router([1], [{ to: 2, via: [at(203, 3), at(204, 4)] }]) },
    { ids: 202, nets: [0, 2, 5, 6], setup: router([2], [{ to: 1, via: [at(203, 5), at(204, 6)] }]) },
    {
      ids: 203,
      nets: [0, 3, 5],
      setup: router(
        [],
        [
          { to: 1, via: at(201, 3) },
          { to: 2, via: at(202, 5) },
        ],
      ),
    },
    {
      ids: 204,
      nets: [0, 4, 6],
      setup: router(
        [],
        [
          { to: 1, via: at(201, 4) },
          { to: 2, via: at(202, 6) },
        ],
      ),
    },
  ],
}

export const xDiamond: TopologySpec = {
  name: 'x-diamond',
  description: 'a diamond with two middle layers crossed; nets 9-12 join the middle routers',
  routers: 6,
  testers: 1,
  roles: { ...ends, router: { nets: [0, 1, 2], setup: router([]) } },
  groups: [
    { ids: 201, nets: [0, 1, 3, 4], setup: router([1], [{ to: 2, via: [at(203, 3), at(204, 4)] }]) },
    { ids: 202, nets: [0, 2, 7, 8], setup: router([2], [{ to: 1, via: [at(205, 7), at(206, 8)] }]) },
    {
      ids: 203,
      nets: [0, 3, 5, 9, 11],
      setup: router(
        [],
        [
          { to: 1, via: at(201, 3) },
          { to: 2, via: at(205, 5) },
        ],
      ),
    },
    {
      ids: 204,
      nets: [0, 4, 6, 9, 12],
      setup: router(
        [],
        [
          { to: 1, via: at(201, 4) },
          { to: 2, via: at(206, 6) },
        ],
      ),
    },
    {
      ids: 205,
      nets: [0, 5, 7, 10, 12],
      setup: router(
        [],
        [
          { to: 1, via: at(203, 5) },
          { to: 2, via: at(202, 7) },
        ],
      ),
    },
    {
      ids: 206,
      nets: [0, 6, 8, 10, 11],
      setup: router(
        [],
        [
          { to: 1, via: at(204, 6) },
          { to: 2, via: at(202, 8) },
        ],
      ),
    },
  ],
}
