// The workload of the load test: one tab's share of mixed operations on one cache name, run at the
// same time in three tabs. Every export takes and returns JSON-serialisable values.
import { Cache } from "../../src/index.js"

export const COUNTERS = 5
export const LOCKS = 100
export const BATCH = 100
/** The share of operations that are a setMany of BATCH entries (each such call is ~40 ms of IndexedDB work). */
export const BATCH_SHARE = 0.01

export interface LoadResult {
  readonly ops: Record<string, number>
  /** Net change this tab made to each counter. */
  readonly counterDeltas: number[]
  /** The lock keys whose add this tab won. */
  readonly locksWon: number[]
  readonly batches: number
  readonly errors: string[]
  readonly ms: number
}

export const lockKey = (j: number): string => `lock-${j}`
export const counterKey = (k: number): string => `counter-${k}`
export const batchKeys = (tab: number, b: number): string[] =>
  Array.from({ length: BATCH }, (_, i) => `batch-${tab}-${b}-${i}`)

function random(seed: number): () => number {
  let x = seed || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}

/**
 * `ops` operations, `inFlight` at a time: an add on every lock key (raced by every tab), setMany of
 * 100 entries (1%), incr or decr of a shared counter (45% of the rest), and gets (the rest) that
 * check what they read: a batch this tab finished is whole, a counter is a number, a lock names a tab.
 */
export async function mixedLoad(
  name: string,
  tab: number,
  ops: number,
  seed: number,
  inFlight = 32,
): Promise<LoadResult> {
  const cache = new Cache({ name, store: "indexeddb", sweepInterval: null })
  const next = random(seed)
  const kinds: string[] = []
  const batches = Math.floor(ops * BATCH_SHARE)
  for (let j = 0; j < LOCKS; j++) kinds.push(`add:${j}`)
  for (let b = 0; b < batches; b++) kinds.push(`setMany:${b}`)
  while (kinds.length < ops) kinds.push(next() < 0.45 ? "count" : "get")
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[kinds[i], kinds[j]] = [kinds[j] as string, kinds[i] as string]
  }
  const result = {
    ops: {} as Record<string, number>,
    counterDeltas: Array<number>(COUNTERS).fill(0),
    locksWon: [] as number[],
    batches: 0,
    errors: [] as string[],
    ms: 0,
  }
  const done: number[] = []
  const check = (ok: boolean, what: string): void => {
    if (!ok) result.errors.push(what)
  }
  const run = async (kind: string): Promise<void> => {
    const [op, arg] = kind.split(":")
    result.ops[op as string] = (result.ops[op as string] ?? 0) + 1
    if (op === "add") {
      if (await cache.add(lockKey(Number(arg)), `tab-${tab}`)) result.locksWon.push(Number(arg))
    } else if (op === "setMany") {
      const b = Number(arg)
      await cache.setMany(batchKeys(tab, b).map((key, i) => [key, { tab, b, i }] as const))
      done.push(b)
      result.batches++
    } else if (op === "count") {
      const k = Math.floor(next() * COUNTERS)
      const delta = next() < 0.75 ? 1 : -1
      await (delta > 0 ? cache.incr(counterKey(k)) : cache.decr(counterKey(k)))
      ;(result.counterDeltas[k] as number) += delta
    } else {
      const pick = next()
      if (pick < 0.5 && done.length) {
        const b = done[Math.floor(next() * done.length)] as number
        const i = Math.floor(next() * BATCH)
        const value = (await cache.get(batchKeys(tab, b)[i] as string)) as { tab: number; b: number; i: number }
        check(value?.tab === tab && value.b === b && value.i === i, `batch ${b} entry ${i} read back wrong`)
      } else if (pick < 0.8) {
        check(
          typeof (await cache.get(counterKey(Math.floor(next() * COUNTERS)))) === "number",
          "a counter is not a number",
        )
      } else {
        const lock = await cache.get(lockKey(Math.floor(next() * LOCKS)))
        check(lock === undefined || (typeof lock === "string" && /^tab-\d$/.test(lock)), `a lock holds ${String(lock)}`)
      }
    }
  }
  const started = performance.now()
  let index = 0
  const worker = async (): Promise<void> => {
    while (index < kinds.length) {
      const kind = kinds[index++] as string
      await run(kind).catch((error: unknown) => {
        result.errors.push(`${kind}: ${String(error)}`)
      })
    }
  }
  try {
    await Promise.all(Array.from({ length: inFlight }, worker))
  } finally {
    await cache.disconnect()
  }
  result.ms = Math.round(performance.now() - started)
  return result
}
