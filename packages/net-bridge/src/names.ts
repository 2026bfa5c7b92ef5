/** The bridge of net N: `xcbr<N>`. */
export function bridgeName(net: number): string {
  return `xcbr${net}`
}

/** The tap of node I on net N: `xcbr<N>_t<I>` (at most 12 characters for N, I <= 255). */
export function tapName(net: number, id: number): string {
  return `${bridgeName(net)}_t${id}`
}
