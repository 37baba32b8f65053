// The Redis benchmark: the isocache Redis store against a bare node-redis client, on a redis-server
// that bench/harness/redis.mjs started. Bundled by Vite and run in a child process, which gets the
// settings (with the server's URL) as JSON in argv and prints JSON on stdout.
import { benchInProcess, type Sizes } from "../shared/workloads.ts"
import { redisPeers } from "./peers.ts"

interface Settings {
  readonly url: string
  readonly sizes: Sizes
  readonly runs: number
}

const settings = JSON.parse(process.argv[2] ?? "{}") as Settings
// (The warm-up run also pays for the scripts' first EVAL.)
await benchInProcess(
  "redis",
  () => Object.fromEntries(Object.entries(redisPeers).map(([name, make]) => [name, make(settings.url)])),
  settings,
)
