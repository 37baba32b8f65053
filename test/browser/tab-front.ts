// The workload of the memory front's cross-tab test: each tab runs it in a tab of its own (runInTabs)
// and returns JSON-serialisable figures.
import { withMemoryFront } from "../../src/front/index.js"
import { Cache, createIndexedDBStore } from "../../src/index.js"
import { barrier } from "./tab-changes.js"

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A small seeded random generator (mulberry32): each tab's run is the same from run to run. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export interface FrontRun {
  /** Reads of this tab's own keys whose result differed from the tab's model of them. */
  readonly modelMismatches: string[]
  /** Reads of the shared keys, at the quiet points, that differed from what the store holds. */
  readonly storeMismatches: string[]
  /** How many reads were compared, in all. */
  readonly compared: number
  /** How many entries the front held at the end. */
  readonly frontSize: number
}

/**
 * `rounds` rounds of `ops` random operations each, through a cache with a memory front (bound 6, so
 * entries also leave it): on keys of this tab's own, each read checked against a model of them at
 * once (no other tab writes them); and on keys every tab writes, checked at the quiet point after each
 * round (every tab done, its events delivered) against the store itself, read without the front.
 */
export async function frontAgainstModel(
  name: string,
  tab: number,
  tabs: number,
  rounds: number,
  ops: number,
): Promise<FrontRun> {
  const front = withMemoryFront(createIndexedDBStore(), { maxEntries: 6 })
  const cache = new Cache({ name, store: front, sweepInterval: null })
  const plain = new Cache({ name, store: "indexeddb", sweepInterval: null })
  const next = random(tab + 1)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const own = Array.from({ length: 8 }, (_, i) => `own-${tab}-${i}`)
  const shared = Array.from({ length: 8 }, (_, i) => `shared-${i}`)
  const model = new Map<string, number>()
  const modelMismatches: string[] = []
  const storeMismatches: string[] = []
  let compared = 0
  const check = (key: string, read: unknown): void => {
    compared++
    if (read !== model.get(key)) modelMismatches.push(`${key}: read ${read}, model ${model.get(key)}`)
  }
  try {
    for (let round = 0; round < rounds; round++) {
      await barrier(plain, tab, tabs, `start-${round}`)
      for (let op = 0; op < ops; op++) {
        const value = Math.floor(next() * 1000)
        const mine = pick(own)
        const theirs = pick(shared)
        switch (pick(["set", "get", "get", "getMany", "delete", "incr", "add", "setMany", "shared"] as const)) {
          case "set":
            await cache.set(mine, value)
            model.set(mine, value)
            break
          case "get":
            check(mine, await cache.get(mine))
            break
          case "getMany": {
            const keys = [pick(own), pick(own), pick(shared)]
            const found = await cache.getMany(keys)
            for (const key of keys.slice(0, 2)) check(key, found[key])
            break
          }
          case "delete":
            await cache.delete(mine)
            model.delete(mine)
            break
          case "incr":
            if (model.has(mine)) model.set(mine, await cache.incr(mine, 1))
            else
              await cache.incr(mine).then(
                () => modelMismatches.push(`incr ${mine}: no error for a missing key`),
                () => {},
              )
            check(mine, await cache.get(mine))
            break
          case "add":
            if ((await cache.add(mine, value)) !== !model.has(mine)) modelMismatches.push(`add ${mine}`)
            if (!model.has(mine)) model.set(mine, value)
            break
          case "setMany":
            await cache.setMany({ [mine]: value, [theirs]: value })
            model.set(mine, value)
            break
          case "shared":
            await pick([
              () => cache.set(theirs, value),
              () => cache.get(theirs),
              () => cache.delete(theirs),
              () => cache.incr(theirs).catch(() => cache.set(theirs, 0)),
            ])()
            break
        }
      }
      await barrier(plain, tab, tabs, `done-${round}`)
      // The quiet point: every tab is done writing; their last events arrive within 20 ms.
      await sleep(150)
      const truth = await plain.getMany(shared)
      const seen = await cache.getMany(shared)
      for (const key of shared) {
        compared++
        const one = await cache.get(key)
        if (seen[key] !== truth[key] || one !== truth[key])
          storeMismatches.push(`round ${round}, ${key}: front ${seen[key]}/${one}, store ${truth[key]}`)
      }
      for (const key of own) check(key, await cache.get(key))
      await barrier(plain, tab, tabs, `checked-${round}`)
    }
    return { modelMismatches, storeMismatches, compared, frontSize: front.frontSize(name) }
  } finally {
    await Promise.all([cache.disconnect(), plain.disconnect()])
  }
}
