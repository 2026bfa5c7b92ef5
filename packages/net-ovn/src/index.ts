export { default, default as ovn } from './ovn-plugin.js'
