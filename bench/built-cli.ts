// The benches time the built CLI (packages/cli/dist/bin.js), as users run it and as the end-to-end tests do: built
// first here (incrementally, as the tests' set-up does), and started without the CA bundle NODE_EXTRA_CA_CERTS names
// on these machines (read at every Node start, 30 ms, and used by none of them).
import buildOnce from '../test/build-once.js'

await buildOnce()
