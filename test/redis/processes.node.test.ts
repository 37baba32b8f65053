// The multi-process proof: separate Node processes, each with its own connection, on one key.
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Cache } from "../../src/index.js"
import { createRedisStore } from "../../src/stores/redis/index.js"
import { uniqueName } from "../conformance/harness.js"
import { skipRedis, useRedis } from "./server.js"

const root = resolve(import.meta.dirname, "../..")
const PROCESSES = 4

interface Worker {
  readonly child: ChildProcess
  readonly ready: Promise<void>
  readonly output: Promise<unknown[]>
}

function worker(url: string, name: string, mode: "incr" | "add", count: number): Worker {
  const child = spawn(process.execPath, [join(import.meta.dirname, "worker.mjs"), url, name, mode, String(count)], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
  })
  let errors = ""
  child.stderr?.on("data", (chunk: Buffer) => {
    errors += chunk.toString()
  })
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]()
  const failed = (what: string) => new Error(`worker ${what}: ${errors || "no output"}`)
  const ready = lines.next().then((line) => {
    if (line.value !== "ready") throw failed("did not get ready")
  })
  const output = ready.then(async () => {
    const line = await lines.next()
    if (line.done) throw failed("ended without results")
    return JSON.parse(line.value) as unknown[]
  })
  return { child, ready, output }
}

describe.skipIf(skipRedis)("redis store across processes (the built package)", () => {
  beforeAll(() => {
    if (!existsSync(join(root, "dist/stores/redis.js"))) {
      throw new Error("dist/ is missing the Redis store: run `npm run build` first (npm test builds before Vitest)")
    }
  })
  const redis = useRedis()
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const child of children) child.kill("SIGKILL")
  })

  // Starts the workers, lets them all go at once, and returns each one's results.
  const race = async (name: string, mode: "incr" | "add", count: number): Promise<unknown[][]> => {
    const workers = Array.from({ length: PROCESSES }, () => worker(redis.server.url, name, mode, count))
    children.push(...workers.map((w) => w.child))
    await Promise.all(workers.map((w) => w.ready))
    for (const w of workers) w.child.stdin?.end("go\n")
    return Promise.all(workers.map((w) => w.output))
  }

  it(`${PROCESSES} processes × 1,000 concurrent incr on one key add exactly ${PROCESSES * 1000}`, async () => {
    const name = uniqueName()
    const cache = new Cache({ name, store: createRedisStore({ url: redis.server.url }), sweepInterval: null })
    await cache.set("counter", 0, { timeout: 600 })
    const results = await race(name, "incr", 1000)
    expect(await cache.get("counter")).toBe(PROCESSES * 1000)
    // Every increment saw a distinct value: no update was lost or applied twice.
    const seen = (results.flat() as number[]).sort((a, b) => a - b)
    expect(seen).toEqual(Array.from({ length: PROCESSES * 1000 }, (_, i) => i + 1))
    await cache.disconnect()
  }, 120_000)

  it(`${PROCESSES} processes racing add on the same 250 keys: exactly one true per key`, async () => {
    const name = uniqueName()
    const results = (await race(name, "add", 250)) as boolean[][]
    for (let key = 0; key < 250; key++) {
      expect(results.filter((perProcess) => perProcess[key]).length).toBe(1)
    }
    const cache = new Cache({ name, store: createRedisStore({ url: redis.server.url }), sweepInterval: null })
    const winners = await cache.getMany(Array.from({ length: 250 }, (_, i) => `lock-${i}`))
    expect(Object.keys(winners)).toHaveLength(250)
    await cache.disconnect()
  }, 120_000)
})
