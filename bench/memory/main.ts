// The Node benchmark of the memory stores. Bundled by Vite and run in a child process by
// bench/harness/node.mjs, which passes the settings as JSON in argv and reads JSON from stdout.
import { benchInProcess, type Sizes } from "../shared/workloads.ts"
import { frontBytesPerEntry } from "./front-memory.ts"
import { memoryPeers } from "./peers.ts"

interface Settings {
  readonly sizes: Sizes
  readonly runs: number
}

const settings = JSON.parse(process.argv[2] ?? "{}") as Settings
await benchInProcess(
  "node",
  () => Object.fromEntries(Object.entries(memoryPeers).map(([name, make]) => [name, make()])),
  settings,
  async () => ({ frontBytesPerEntry: await frontBytesPerEntry(10_000) }),
)
