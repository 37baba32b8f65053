// The Node benchmark of the memory stores. Bundled by Vite and run in a child process by
// bench/harness/node.mjs, which passes the settings as JSON in argv and reads JSON from stdout.
import { describeWorkloads, notesOf, type RunSamples, runAll, type Sizes } from "../shared/workloads.ts"
import { memoryPeers } from "./peers.ts"

interface Settings {
  readonly sizes: Sizes
  readonly runs: number
}

const settings = JSON.parse(process.argv[2] ?? "{}") as Settings
const peers = () => Object.values(memoryPeers).map((make) => make())

// One unrecorded run first, so that no peer pays for the JIT warming up.
await runAll(peers(), settings.sizes, "warmup", 0)

const runs: RunSamples[] = []
for (let r = 0; r < settings.runs; r++) {
  runs.push(await runAll(peers(), settings.sizes, `run${r}`, r))
  process.stderr.write(`  node run ${r + 1}/${settings.runs} done\n`)
}

const result = {
  peers: Object.keys(memoryPeers),
  workloads: describeWorkloads(settings.sizes),
  notes: notesOf(peers()),
  runs: runs.map((samples) => ({ samples })),
}
process.stdout.write(`${JSON.stringify(result)}\n`)
