/** The options of `@xcluster/net-ovn`: `['@xcluster/net-ovn', { underlayMtu: 1500, central: 'h2' }]`. */
export interface OvnOptions {
  /**
   * The MTU of the underlay between the hosts (9000: the one xcluster makes for simulated and netns hosts). The VMs'
   * MTU defaults to what fits through Geneve on it (1442 on 1500), and an `mtu` that does not fit is refused.
   */
  underlayMtu?: number
  /** The host (by name, one of `hosts`) whose namespace runs the OVN central; none: the cluster netns. */
  central?: string
  /**
   * An ssh_config file (`ssh -F`) for the machines of `hosts` reached over ssh (keys, known hosts, jump hosts); none:
   * your own ~/.ssh/config.
   */
  sshConfig?: string
}
