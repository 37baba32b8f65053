// The Redis benchmark: the isocache Redis store against a bare node-redis client, on a redis-server
// that bench/harness/redis.mjs started. Bundled by Vite and run in a child process, which gets the
// settings (with the server's URL) as JSON in argv and prints JSON on stdout.
import { describeWorkloads, notesOf, type RunSamples, runAll, type Sizes } from "../shared/workloads.ts"
import { redisPeers } from "./peers.ts"

interface Settings {
  readonly url: string
  readonly sizes: Sizes
  readonly runs: number
}

const settings = JSON.parse(process.argv[2] ?? "{}") as Settings
const peers = () => Object.values(redisPeers).map((make) => make(settings.url))

// One unrecorded run first, so that no peer pays for the JIT warming up (or the scripts' first EVAL).
await runAll(peers(), settings.sizes, "warmup", 0)

const runs: RunSamples[] = []
for (let r = 0; r < settings.runs; r++) {
  runs.push(await runAll(peers(), settings.sizes, `run${r}`, r))
  process.stderr.write(`  redis run ${r + 1}/${settings.runs} done\n`)
}

const result = {
  peers: Object.keys(redisPeers),
  workloads: describeWorkloads(settings.sizes),
  notes: notesOf(peers()),
  runs: runs.map((samples) => ({ samples })),
}
process.stdout.write(`${JSON.stringify(result)}\n`)
