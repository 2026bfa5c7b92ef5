import type { NodeSpec, RouteSpec, Via } from '../spec.js'

/** Node `node` on net `net` as a next hop. */
export const at = (node: number, net: number): Via => ({ node, net })
export const HOST: Via = { host: true }

/** A router: forwards, default route (IPv4 and IPv6) to the host side of net 0, masquerades `nat` out of eth0. */
export function router(nat: number[], routes: RouteSpec[] = []): NodeSpec {
  return { forward: true, nat, routes: [...routes, { to: 'default', via: HOST }] }
}

/** A leaf node whose default route is `via` (one hop, or several for ECMP). */
export function leaf(via: Via | Via[], extra: Omit<NodeSpec, 'routes'> & { routes?: RouteSpec[] } = {}): NodeSpec {
  return { ...extra, routes: [{ to: 'default', via }, ...(extra.routes ?? [])] }
}

/** The reference's standard nets: vm 0,1; router 0,1,2; tester 0,2. */
export const STANDARD_NETS = { vm: [0, 1], router: [0, 1, 2], tester: [0, 2] }
