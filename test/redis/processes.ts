// The multi-process proof: separate Node processes, each with its own connection, on one key; run on
// a single server by processes.node.test.ts and on a cluster by cluster.node.test.ts.
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { afterAll, beforeAll, expect, it, vi } from "vitest"
import { Cache, type Store } from "../../src/index.js"
import { uniqueName } from "../conformance/harness.js"

/** Where the processes of {@link processCases} meet. */
export interface ProcessesTarget {
  /** What worker.mjs takes: a `redis://` URL, or `cluster://host:port,...`. */
  readonly url: string
  /** A store for the test's own caches. */
  store(): Store
  /** How many connections listen to the changes of `name`. */
  listening(name: string): Promise<number>
}

const root = resolve(import.meta.dirname, "../..")

const PROCESSES = 4
// The load tests' processes.
const LOAD = 16

interface Worker {
  readonly child: ChildProcess
  readonly ready: Promise<void>
  readonly output: Promise<unknown>
}

type Mode = "incr" | "add" | "load-incr" | "load-add" | "events" | "once" | "exit"

/** What a worker in a `load-` mode prints. */
interface Load<T> {
  readonly values: Array<T | null>
  readonly errors: string[]
  readonly ms: number
}

/** With RELIABILITY_REPORT=1, a load test writes its figures to test-results/reliability/<name>.json. */
export const report = (name: string, figures: Record<string, unknown>): void => {
  if (process.env.RELIABILITY_REPORT !== "1") return
  mkdirSync(join(root, "test-results/reliability"), { recursive: true })
  writeFileSync(join(root, `test-results/reliability/${name}.json`), `${JSON.stringify(figures, null, 2)}\n`)
}

const reportName = (url: string): string => (url.startsWith("cluster://") ? "redis-cluster" : "redis")

function worker(url: string, name: string, mode: Mode, ...args: Array<string | number>): Worker {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, "worker.mjs"), url, name, mode, ...args.map(String)],
    {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    },
  )
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
    return JSON.parse(line.value) as unknown
  })
  return { child, ready, output }
}

/** How long `child` takes to end from now, or `null` if it is still running after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<{ after: number; code: number | null } | null> {
  const start = Date.now()
  if (child.exitCode !== null) return Promise.resolve({ after: 0, code: child.exitCode })
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms)
    child.once("exit", (code) => {
      clearTimeout(timer)
      resolve({ after: Date.now() - start, code })
    })
  })
}

/**
 * The multi-process tests, on the Redis that `target` gives (read in tests and hooks only), in the
 * enclosing `describe` block.
 * @param target - the processes' meeting place
 */
export function processCases(target: () => ProcessesTarget): void {
  beforeAll(() => {
    if (!existsSync(join(root, "dist/stores/redis.js"))) {
      throw new Error("dist/ is missing the Redis store: run `npm run build` first (npm test builds before Vitest)")
    }
  })
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const child of children) child.kill("SIGKILL")
  })

  // Starts the workers, lets them all go at once (once `beforeGo` resolves), and returns each one's results.
  const race = async <R = unknown[]>(
    name: string,
    mode: Mode,
    args: Array<string | number>,
    beforeGo?: () => Promise<void>,
    processes = PROCESSES,
  ): Promise<R[]> => {
    const workers = Array.from({ length: processes }, () => worker(target().url, name, mode, ...args))
    children.push(...workers.map((w) => w.child))
    await Promise.all(workers.map((w) => w.ready))
    await beforeGo?.()
    for (const w of workers) w.child.stdin?.end("go\n")
    return Promise.all(workers.map((w) => w.output as Promise<R>))
  }

  it(`${PROCESSES} processes × 1,000 concurrent incr on one key add exactly ${PROCESSES * 1000}`, async () => {
    const name = uniqueName()
    const cache = new Cache({ name, store: target().store(), sweepInterval: null })
    await cache.set("counter", 0, { timeout: 600 })
    const results = await race(name, "incr", [1000])
    expect(await cache.get("counter")).toBe(PROCESSES * 1000)
    // Every increment saw a distinct value: no update was lost or applied twice.
    const seen = (results.flat() as number[]).sort((a, b) => a - b)
    expect(seen).toEqual(Array.from({ length: PROCESSES * 1000 }, (_, i) => i + 1))
    await cache.disconnect()
  }, 120_000)

  it(`${PROCESSES} processes racing add on the same 250 keys: exactly one true per key`, async () => {
    const name = uniqueName()
    const results = await race<boolean[]>(name, "add", [250])
    for (let key = 0; key < 250; key++) {
      expect(results.filter((perProcess) => perProcess[key]).length).toBe(1)
    }
    const cache = new Cache({ name, store: target().store(), sweepInterval: null })
    const winners = await cache.getMany(Array.from({ length: 250 }, (_, i) => `lock-${i}`))
    expect(Object.keys(winners)).toHaveLength(250)
    await cache.disconnect()
  }, 120_000)

  it(`load: ${LOAD} processes × 1,000 concurrent incr on one key add exactly ${LOAD * 1000}, none fails`, async () => {
    const name = uniqueName()
    const cache = new Cache({ name, store: target().store(), sweepInterval: null })
    await cache.set("counter", 0, { timeout: 600 })
    const started = Date.now()
    const results = await race<Load<number>>(name, "load-incr", [1000], undefined, LOAD)
    const errors = results.flatMap((r) => r.errors)
    report(`${reportName(target().url)}-load-incr`, {
      processes: LOAD,
      callsPerProcess: 1000,
      ms: Date.now() - started,
      slowestProcessMs: Math.round(Math.max(...results.map((r) => r.ms))),
      errors: errors.length,
      firstError: errors[0] ?? null,
      counter: await cache.get("counter"),
    })
    expect(errors).toEqual([])
    expect(await cache.get("counter")).toBe(LOAD * 1000)
    const seen = results.flatMap((r) => r.values as number[]).sort((a, b) => a - b)
    expect(seen).toEqual(Array.from({ length: LOAD * 1000 }, (_, i) => i + 1))
    await cache.disconnect()
  }, 300_000)

  it(`load: ${LOAD} processes racing add on the same 100 keys: exactly one winner per key, none fails`, async () => {
    const name = uniqueName()
    const started = Date.now()
    const results = await race<Load<boolean>>(name, "load-add", [100], undefined, LOAD)
    const errors = results.flatMap((r) => r.errors)
    const winners = Array.from({ length: 100 }, (_, key) => results.filter((r) => r.values[key] === true).length)
    report(`${reportName(target().url)}-load-add`, {
      processes: LOAD,
      keys: 100,
      ms: Date.now() - started,
      errors: errors.length,
      firstError: errors[0] ?? null,
      keysWithOneWinner: winners.filter((n) => n === 1).length,
    })
    expect(errors).toEqual([])
    expect(winners).toEqual(Array.from({ length: 100 }, () => 1))
  }, 300_000)

  const listening = (name: string): Promise<number> => target().listening(name)

  it(`${PROCESSES} subscribed processes: each committed write reaches each process exactly once, a failed call none`, async () => {
    const name = uniqueName()
    const writes = 50
    // Every process's subscription is confirmed by Redis before any of them writes.
    const results = await race<{ pid: number; local: number; keys: string[] }>(
      name,
      "events",
      [writes, PROCESSES],
      () => vi.waitFor(async () => expect(await listening(name)).toBe(PROCESSES), { timeout: 10_000 }),
    )
    const everyWrite = results.flatMap(({ pid }) => Array.from({ length: writes }, (_, i) => `${pid}:${i}`)).sort()
    expect(everyWrite).toHaveLength(PROCESSES * writes)
    for (const { local, keys } of results) {
      expect(keys.sort()).toEqual(everyWrite) // once each: its own writes and every other process's
      expect(local).toBe(writes)
    }
    await vi.waitFor(async () => expect(await listening(name)).toBe(0))
  }, 120_000)

  it(`${PROCESSES} processes × 20 concurrent getOrSet misses of one key: the factory runs once in all`, async () => {
    const name = uniqueName()
    const cache = new Cache({ name, store: target().store(), sweepInterval: null })
    await cache.set("factory-calls", 0, { timeout: 600 })
    const results = await race<number[]>(name, "once", [20])
    expect(await cache.get("factory-calls")).toBe(1)
    // Every call of every process got the one value the factory made (the pid of its process).
    const values = new Set(results.flat())
    expect(values.size).toBe(1)
    expect(results.flat()).toHaveLength(PROCESSES * 20)
    await cache.disconnect()
  }, 120_000)

  // One process that subscribes, sees a change, and leaves as `variant` says.
  const leaving = async (variant: "unsubscribe" | "disconnect" | "hasty" | "stay") => {
    const name = uniqueName()
    const w = worker(target().url, name, "exit", variant)
    children.push(w.child)
    await w.ready
    w.child.stdin?.end("go\n")
    const { seen } = (await w.output) as { seen: number }
    return { seen, exit: await exitWithin(w.child, variant === "stay" ? 1_500 : 3_000), name }
  }

  it("a process ends by itself after the last unsubscribe (the subscription alone held it), or a disconnect()", async () => {
    for (const variant of ["unsubscribe", "disconnect"] as const) {
      const { seen, exit, name } = await leaving(variant)
      expect(seen, variant).toBeGreaterThan(0)
      expect(exit, variant).toMatchObject({ code: 0 })
      expect(await listening(name)).toBe(0)
    }
    // Gone while the subscriber connection was still connecting.
    expect((await leaving("hasty")).exit).toMatchObject({ code: 0 })
    // The control: still subscribed, the process keeps running.
    const stay = await leaving("stay")
    expect(stay.seen).toBeGreaterThan(0)
    expect(stay.exit).toBeNull()
    expect(await listening(stay.name)).toBe(1)
  }, 60_000)
}
