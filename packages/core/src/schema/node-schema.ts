import { z } from 'zod'
import type { Node } from '../contract/node.js'
import { MEM_LIMITS, NET_LIMITS, SMP_LIMITS } from '../config/settings.js'
import { hostname, ipv4Address, macAddress } from '../node/addressing.js'
import { MAX_NODE_ID, roleOf } from '../node/roles.js'

/** A kernel argument or qemu word: printable, no spaces, no control characters. */
export const WORD = /^[\x21-\x7e]{1,4096}$/
const IPV6 = /^[0-9a-f:.]{2,45}$/

const nicSchema = z.strictObject({
  index: z.number().int().min(0).max(31),
  ifname: z.string().regex(/^eth\d{1,2}$/),
  net: z.number().int().min(NET_LIMITS[0]).max(NET_LIMITS[1]),
  mac: z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/),
  ipv4: z.string().regex(/^192\.168\.\d{1,3}\.\d{1,3}$/),
  ipv6: z.string().regex(IPV6),
})

/**
 * A node as xcluster records it (nodes.json, a snapshot's manifest): every field in range and every derived one (role,
 * hostname, a NIC's name, MAC and IPv4 address) what its id and net make it, so nothing else can reach a path or a
 * qemu word.
 */
export const nodeSchema: z.ZodType<Node> = z
  .strictObject({
    id: z.number().int().min(1).max(MAX_NODE_ID),
    role: z.enum(['vm', 'router', 'tester']),
    hostname: z.string().regex(/^vm-\d{3}$/),
    nics: z.array(nicSchema).min(1).max(32),
    mem: z.number().int().min(MEM_LIMITS[0]).max(MEM_LIMITS[1]),
    smp: z.number().int().min(SMP_LIMITS[0]).max(SMP_LIMITS[1]),
    append: z.array(z.string().regex(WORD, 'a kernel argument of printable characters without spaces')).max(256),
  })
  .superRefine((node, context) => {
    const wrong = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message })
    if (roleOf(node.id) !== node.role) wrong(['role'], `node ${node.id} is a ${roleOf(node.id)}, not a ${node.role}`)
    if (hostname(node.id) !== node.hostname) wrong(['hostname'], `node ${node.id} is ${hostname(node.id)}`)
    node.nics.forEach((nic, k) => {
      if (nic.index !== k || nic.ifname !== `eth${k}`) wrong(['nics', k], `NIC ${k} must be eth${k}`)
      if (nic.mac !== macAddress(node.id, nic.net)) wrong(['nics', k, 'mac'], `must be ${macAddress(node.id, nic.net)}`)
      if (nic.ipv4 !== ipv4Address(nic.net, node.id))
        wrong(['nics', k, 'ipv4'], `must be ${ipv4Address(nic.net, node.id)}`)
    })
  })
