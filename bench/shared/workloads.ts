// The workloads, written once against a small Peer interface so that every library runs exactly the
// same loop, in the browser and in Node.
import { type Item, keyOf, lcg, makeItem } from "./data.ts"

export type WorkloadId = "set" | "get" | "concurrentGet" | "concurrentSet" | "getMany" | "setMany" | "incr" | "mixed"

/** The order in which a peer runs them: `set` first, since it fills the store the others read. */
export const workloadIds: readonly WorkloadId[] = [
  "set",
  "get",
  "concurrentGet",
  "concurrentSet",
  "getMany",
  "setMany",
  "incr",
  "mixed",
]

/** How big each workload is. */
export interface Sizes {
  /** Values written by sequential `set` (and read back by sequential `get`). */
  readonly n: number
  /** Operations in one `Promise.all` of the concurrent workloads. */
  readonly concurrent: number
  /** Keys per `getMany`/`setMany` call. */
  readonly batch: number
  /** Items read (written) by one pass of the `getMany` (`setMany`) workload, in calls of `batch`. */
  readonly manyItems: number
  /** Sequential increments of one key. */
  readonly incr: number
  /** Operations of the mixed workload, shared by its callers. */
  readonly mixedOps: number
  /** Concurrent callers of the mixed workload. */
  readonly callers: number
  /**
   * Each workload repeats until it has run this long (at least once). Zero in the browser, where
   * one pass is long enough; in Node one pass takes a few milliseconds, too short to time.
   */
  readonly minTimeMs: number
}

/** One library behind a common face. Methods may answer synchronously (lru-cache does). */
export interface Peer {
  readonly name: string
  /** Opens a fresh, empty store whose name includes `id`. */
  open(id: string): Promise<void>
  close(): Promise<void>
  get(key: string): unknown
  set(key: string, value: unknown): unknown
  /** Reads many keys in one call; resolves to how many were found. Absent: Promise.all of `get`. */
  getMany?(keys: string[]): Promise<number>
  /** Writes many entries in one call. Absent: Promise.all of `set`. */
  setMany?(entries: Array<[string, Item]>): Promise<unknown>
  /** Adds 1 to a numeric value, as atomically as the library allows. */
  incr?(key: string): unknown
  /** Untimed preparation once the store holds every key (after the fill, for peers that skip `set`). */
  warm?(keys: readonly string[]): Promise<void>
  /** When given, the peer runs only these workloads (the others have nothing to measure). */
  readonly only?: readonly WorkloadId[]
  /** Footnotes per workload: how the peer does it when it lacks the operation. */
  readonly notes?: Partial<Record<WorkloadId, string>>
}

/** One measurement: `ops` operations (items, for the batch workloads) in `ms` milliseconds. */
export interface Sample {
  readonly ops: number
  readonly ms: number
}

interface Workload {
  /** A label for the tables, which depends on the sizes. */
  label(sizes: Sizes): string
  unit: "ops/s" | "items/s"
  /** Untimed preparation. */
  prepare?(peer: Peer, sizes: Sizes): Promise<void>
  /** One timed pass; returns how many operations (or items) it did. Throws if a read missed. */
  pass(peer: Peer, sizes: Sizes, data: Data): Promise<number>
  /** Untimed check after all the passes. */
  verify?(peer: Peer, sizes: Sizes, passes: number): Promise<void>
}

interface Data {
  readonly keys: readonly string[]
  readonly items: readonly Item[]
}

const fmt = (n: number): string => n.toLocaleString("en-US")

function expectHits(what: string, hits: number, wanted: number): void {
  if (hits !== wanted) throw new Error(`${what}: found ${hits} of ${wanted} keys`)
}

const isHit = (value: unknown): boolean => value !== undefined && value !== null

async function getMany(peer: Peer, keys: string[]): Promise<number> {
  if (peer.getMany) return peer.getMany(keys)
  const values = await Promise.all(keys.map((key) => peer.get(key)))
  return values.filter(isHit).length
}

async function setMany(peer: Peer, entries: Array<[string, Item]>): Promise<void> {
  if (peer.setMany) await peer.setMany(entries)
  else await Promise.all(entries.map(([key, value]) => peer.set(key, value)))
}

const COUNTER = "counter"

export const workloads: Record<WorkloadId, Workload> = {
  set: {
    label: (s) => `sequential set (${fmt(s.n)})`,
    unit: "ops/s",
    async pass(peer, s, d) {
      for (let i = 0; i < s.n; i++) await peer.set(d.keys[i] as string, d.items[i])
      return s.n
    },
  },
  get: {
    label: (s) => `sequential get (${fmt(s.n)})`,
    unit: "ops/s",
    async pass(peer, s, d) {
      let hits = 0
      for (let i = 0; i < s.n; i++) if (isHit(await peer.get(d.keys[i] as string))) hits++
      expectHits("sequential get", hits, s.n)
      return s.n
    },
  },
  concurrentGet: {
    label: (s) => `${fmt(s.concurrent)} concurrent get`,
    unit: "ops/s",
    async pass(peer, s, d) {
      const values = await Promise.all(d.keys.slice(0, s.concurrent).map((key) => peer.get(key)))
      expectHits("concurrent get", values.filter(isHit).length, s.concurrent)
      return s.concurrent
    },
  },
  concurrentSet: {
    label: (s) => `${fmt(s.concurrent)} concurrent set`,
    unit: "ops/s",
    async pass(peer, s, d) {
      // New values for existing keys: a cache refreshing entries.
      await Promise.all(d.keys.slice(0, s.concurrent).map((key, i) => peer.set(key, d.items[s.n - 1 - i])))
      return s.concurrent
    },
  },
  getMany: {
    label: (s) => `getMany of ${s.batch} (items/s)`,
    unit: "items/s",
    async pass(peer, s, d) {
      let hits = 0
      let items = 0
      for (let start = 0; start + s.batch <= Math.min(s.n, s.manyItems); start += s.batch) {
        hits += await getMany(peer, d.keys.slice(start, start + s.batch))
        items += s.batch
      }
      expectHits("getMany", hits, items)
      return items
    },
  },
  setMany: {
    label: (s) => `setMany of ${s.batch} (items/s)`,
    unit: "items/s",
    async pass(peer, s, d) {
      let items = 0
      for (let start = 0; start + s.batch <= Math.min(s.n, s.manyItems); start += s.batch) {
        const entries: Array<[string, Item]> = []
        for (let i = start; i < start + s.batch; i++) entries.push([d.keys[i] as string, d.items[i] as Item])
        await setMany(peer, entries)
        items += s.batch
      }
      return items
    },
  },
  incr: {
    label: (s) => `incr ×${fmt(s.incr)}, one key`,
    unit: "ops/s",
    async prepare(peer) {
      await peer.set(COUNTER, 0)
    },
    async pass(peer, s) {
      for (let i = 0; i < s.incr; i++) await peer.incr?.(COUNTER)
      return s.incr
    },
    async verify(peer, s, passes) {
      const value = await peer.get(COUNTER)
      if (value !== s.incr * passes) throw new Error(`incr: counter is ${String(value)}, expected ${s.incr * passes}`)
    },
  },
  mixed: {
    label: (s) => `mixed 90% get / 10% set, ${s.callers} callers`,
    unit: "ops/s",
    async pass(peer, s, d) {
      const perCaller = Math.ceil(s.mixedOps / s.callers)
      let misses = 0
      const caller = async (c: number): Promise<void> => {
        const random = lcg(c + 1)
        for (let j = 0; j < perCaller; j++) {
          const i = Math.floor(random() * s.n)
          if (j % 10 === 9) await peer.set(d.keys[i] as string, d.items[s.n - 1 - i])
          else if (!isHit(await peer.get(d.keys[i] as string))) misses++
        }
      }
      await Promise.all(Array.from({ length: s.callers }, (_, c) => caller(c)))
      expectHits("mixed get", perCaller * s.callers - misses, perCaller * s.callers)
      return perCaller * s.callers
    },
  },
}

/** The note to print for a peer's workload: its own, or how the runner stands in for a missing method. */
export function noteFor(peer: Peer, id: WorkloadId): string | undefined {
  if (peer.notes?.[id]) return peer.notes[id]
  if (id === "getMany" && !peer.getMany) return "no getMany: Promise.all of get"
  if (id === "setMany" && !peer.setMany) return "no setMany: Promise.all of set"
  return undefined
}

export function runsWorkload(peer: Peer, id: WorkloadId): boolean {
  if (peer.only && !peer.only.includes(id)) return false
  return id !== "incr" || peer.incr !== undefined
}

const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.()

/** The samples of one run: per peer, per workload. */
export type RunSamples = Record<string, Partial<Record<WorkloadId, Sample>>>

/** The order of the peers for one workload of one run: rotated, so that no peer always goes first. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length] as T)
}

/**
 * One run: every peer on a fresh store of its own, opened together. The workloads run one after the
 * other, each on every peer back to back, so that the samples a ratio compares are taken seconds
 * apart, not minutes: noise from the rest of the machine then hits both alike.
 */
export class Session {
  readonly #peers: readonly Peer[]
  readonly #sizes: Sizes
  readonly #data: Data

  private constructor(peers: readonly Peer[], sizes: Sizes) {
    this.#peers = peers
    this.#sizes = sizes
    this.#data = {
      keys: Array.from({ length: sizes.n }, (_, i) => keyOf(i)),
      items: Array.from({ length: sizes.n }, (_, i) => makeItem(i)),
    }
  }

  /** Opens every peer's store (named after `id`) and fills the stores of peers that skip `set`. */
  static async open(peers: readonly Peer[], sizes: Sizes, id: string): Promise<Session> {
    const session = new Session(peers, sizes)
    for (const peer of peers) {
      await peer.open(id)
      // The reads need the keys to exist even when the peer skips the sequential `set`.
      if (!runsWorkload(peer, "set")) await session.#fill(peer)
      await peer.warm?.(session.#data.keys)
    }
    return session
  }

  async #fill(peer: Peer): Promise<void> {
    const { keys, items } = this.#data
    for (let start = 0; start < this.#sizes.n; start += this.#sizes.batch) {
      const end = Math.min(this.#sizes.n, start + this.#sizes.batch)
      await setMany(
        peer,
        keys.slice(start, end).map((key, i) => [key, items[start + i] as Item]),
      )
    }
  }

  /**
   * Runs one workload on each peer that has it, in the given order (names), and returns a sample per
   * peer. Garbage is collected (when `gc` is exposed) before each, so that one library's garbage is
   * not collected on another's time.
   */
  async workload(wid: WorkloadId, order: readonly string[]): Promise<Record<string, Sample>> {
    const workload = workloads[wid]
    const samples: Record<string, Sample> = {}
    for (const name of order) {
      const peer = this.#peers.find((p) => p.name === name)
      if (!peer) throw new Error(`unknown peer ${name}`)
      if (!runsWorkload(peer, wid)) continue
      await workload.prepare?.(peer, this.#sizes)
      collectGarbage()
      let ops = 0
      let passes = 0
      const start = performance.now()
      let elapsed = 0
      do {
        ops += await workload.pass(peer, this.#sizes, this.#data)
        passes++
        elapsed = performance.now() - start
      } while (elapsed < this.#sizes.minTimeMs)
      await workload.verify?.(peer, this.#sizes, passes)
      samples[name] = { ops, ms: elapsed }
    }
    return samples
  }

  async close(): Promise<void> {
    for (const peer of this.#peers) await peer.close()
  }
}

/** Runs every workload once on every peer; `shift` rotates the order (pass the run's number). */
export async function runAll(peers: readonly Peer[], sizes: Sizes, id: string, shift: number): Promise<RunSamples> {
  const session = await Session.open(peers, sizes, id)
  const samples: RunSamples = Object.fromEntries(peers.map((p) => [p.name, {}]))
  try {
    for (const [w, wid] of workloadIds.entries()) {
      const got = await session.workload(
        wid,
        rotate(
          peers.map((p) => p.name),
          shift + w,
        ),
      )
      for (const [name, sample] of Object.entries(got))
        (samples[name] as Partial<Record<WorkloadId, Sample>>)[wid] = sample
    }
  } finally {
    await session.close()
  }
  return samples
}

/** The footnotes of every peer, by peer name and workload. */
export function notesOf(peers: readonly Peer[]): Record<string, Partial<Record<WorkloadId, string>>> {
  return Object.fromEntries(
    peers.map((peer) => [
      peer.name,
      Object.fromEntries(workloadIds.flatMap((id) => (noteFor(peer, id) ? [[id, noteFor(peer, id)]] : []))),
    ]),
  )
}

/** The workloads as the tables name them. */
export const describeWorkloads = (sizes: Sizes): Array<{ id: WorkloadId; label: string; unit: string }> =>
  workloadIds.map((id) => ({ id, label: workloads[id].label(sizes), unit: workloads[id].unit }))

/**
 * The whole benchmark of one part in this process (Node: the memory stores, or Redis): one unrecorded
 * warm-up run, so that no peer pays for the JIT, then `runs` runs; prints the result as one line of
 * JSON on stdout, which the harness reads, and the progress on stderr.
 * @param part - the part's name in the progress lines ("node", "redis")
 * @param peers - makes a fresh set of peers, keyed by name, for each run
 */
export async function benchInProcess(
  part: string,
  peers: () => Record<string, Peer>,
  settings: { readonly sizes: Sizes; readonly runs: number },
  extra: () => Promise<Record<string, unknown>> = async () => ({}),
): Promise<void> {
  await runAll(Object.values(peers()), settings.sizes, "warmup", 0)
  const runs: RunSamples[] = []
  for (let r = 0; r < settings.runs; r++) {
    runs.push(await runAll(Object.values(peers()), settings.sizes, `run${r}`, r))
    process.stderr.write(`  ${part} run ${r + 1}/${settings.runs} done\n`)
  }
  const named = peers()
  const result = {
    peers: Object.keys(named),
    workloads: describeWorkloads(settings.sizes),
    notes: notesOf(Object.values(named)),
    runs: runs.map((samples) => ({ samples })),
    ...(await extra()),
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
