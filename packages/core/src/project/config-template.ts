import { fixedDefault } from '../config/setting-values.js'

const D = (path: string) => JSON.stringify(fixedDefault(path)).replace(/"/g, "'").replace(/,/g, ', ')

/** The xcluster.config.ts `xcluster init` writes: every main setting at its default, with what it does. */
export const CONFIG_TEMPLATE = `import { defineConfig } from '@xcluster/core/config'

// The cluster \`xcluster start\` boots. Every setting is optional; the values below are the defaults.
// \`xcluster env\` prints the effective settings; --nvm=2 and the shell tool's __nvm=2 override them.
export default defineConfig({
  // Nodes vm-001.., routers vm-201.., testers vm-221..
  nodes: ${D('nodes')},
  routers: ${D('routers')},
  testers: ${D('testers')},
  // The nets of each role in NIC order: 0 maintenance, 1 cluster, 2 external; topologies add more.
  nets: { ${['vm', 'router', 'tester'].map((role) => `${role}: ${D(`nets.${role}`)}`).join(', ')} },
  // Memory in MiB and virtual CPUs of every VM.
  mem: ${D('mem')},
  smp: ${D('smp')},
  // qemu's accelerator: 'kvm', 'tcg' (software emulation, works everywhere) or 'auto'; XCLUSTER_ACCEL overrides it.
  accel: ${D('accel')},
  // What every VM gets on its cdrom: overlay directories, .tar files, or packages such as
  // @xcluster/ovl-iptools, named 'iptools'.
  overlays: [],
  // Plugins by package name or object: network backends, topologies, DNS, your own. The user-space
  // and bridge backends, the topologies and DNS come with @xcluster/core.
  plugins: [],
})
`

/**
 * The strict tsconfig.json `xcluster init` writes, for type-checking the config with \`tsc --noEmit -p .\`; JavaScript
 * (plugins/) is taken in, and checked where a file asks with `// @ts-check`.
 */
export const TSCONFIG_TEMPLATE = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    allowJs: true,
    types: ['node'],
  },
  include: ['xcluster.config.*', 'plugins', 'src'],
}
