import type { Role } from '../contract/node.js'

export type { Role }

export const ROLES: readonly Role[] = ['vm', 'router', 'tester']

/** Inclusive id ranges of each role; 241 and up are reserved (250 is the host side of every net). */
export const ROLE_RANGES: Readonly<Record<Role, readonly [number, number]>> = {
  vm: [1, 200],
  router: [201, 220],
  tester: [221, 240],
}

export const MAX_NODE_ID = 240

/** The role of a node id, or undefined when the id is outside every range. */
export function roleOf(id: number): Role | undefined {
  return ROLES.find((role) => id >= ROLE_RANGES[role][0] && id <= ROLE_RANGES[role][1])
}

/** The first `count` ids of a role: 1.., 201.., 221.. */
export function idsOf(role: Role, count: number): number[] {
  const first = ROLE_RANGES[role][0]
  return Array.from({ length: count }, (_, k) => first + k)
}

/** The largest count a role's range allows. */
export function capacityOf(role: Role): number {
  return ROLE_RANGES[role][1] - ROLE_RANGES[role][0] + 1
}
