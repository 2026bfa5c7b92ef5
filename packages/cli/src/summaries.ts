// One line of each of the command line's own operations, as `xcluster --help` lists it: apart from their modules,
// so the list is read without loading them (command-catalog.ts).

/** Each of the command line's own operations' line of help, by its name. */
export const CLI_SUMMARIES = {
  completion: 'print a shell completion script: eval "$(xcluster completion bash)"',
  mcp: "serve the cluster's operations as tools to an agent (Model Context Protocol on stdio)",
  ui: 'serve the cluster live in a browser: picture, consoles, captures, links, netem (127.0.0.1, a token)',
  events: "print the cluster's changes as they happen: VM states, links, netem, VMs added and removed",
} as const
