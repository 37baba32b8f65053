import "fake-indexeddb/auto"
import { describe, expect, it } from "vitest"
import { withMemoryFront } from "../../src/front/index.js"
import {
  Cache,
  createIndexedDBStore,
  createMemoryStore,
  InvalidArgumentError,
  type Store,
  type StoreNamespace,
} from "../../src/index.js"
import { processMemoryStore } from "../../src/stores/memory.js"
import { fakeClock, uniqueName } from "../conformance/harness.js"
import { describeConformance } from "../conformance/index.js"
import { rawCount } from "../idb-helpers.js"

// The process-wide store, which memory:// URLs select too.
const memory = processMemoryStore()
describeConformance("memory front on a memory store", {
  kind: "memory",
  createStore: () => withMemoryFront(memory),
  makeStore: () => withMemoryFront(memory),
  rawCount: async (name) => memory.size(name),
})

describeConformance("memory front on indexeddb (fake-indexeddb)", {
  kind: "indexeddb",
  createStore: () => withMemoryFront(createIndexedDBStore()),
  makeStore: () => withMemoryFront(createIndexedDBStore()),
  rawCount,
})

describeConformance("frozen memory front on indexeddb (fake-indexeddb)", {
  kind: "indexeddb",
  createStore: () => withMemoryFront(createIndexedDBStore(), { frozen: true }),
  makeStore: () => withMemoryFront(createIndexedDBStore(), { frozen: true }),
  rawCount,
  sharesFrozenValues: true,
})

/** A store that counts its namespaces' calls and can hold their reads until told to go on. */
function spied(inner: Store) {
  const calls: Record<string, number> = {}
  let gate: Promise<void> | null = null
  const store: Store = {
    kind: inner.kind,
    async open(name, options) {
      const namespace = await inner.open(name, options)
      return new Proxy(namespace, {
        get(target, prop, receiver) {
          // Its entries live on `inner`'s backend.
          if (prop === "backend") return target.backend ?? inner
          const value: unknown = Reflect.get(target, prop, receiver)
          if (typeof value !== "function" || typeof prop !== "string") return value
          const call = (...args: unknown[]): unknown => (value as (...a: unknown[]) => unknown).apply(target, args)
          return (...args: unknown[]) => {
            calls[prop] = (calls[prop] ?? 0) + 1
            // A read waits for the gate once the store answered; everything else runs as it is.
            if (prop !== "getMany") return call(...args)
            return (async () => {
              const read = await call(...args)
              await gate
              return read
            })()
          }
        },
      }) as StoreNamespace
    },
  }
  return {
    store,
    calls,
    hold(): () => void {
      let release!: () => void
      gate = new Promise((resolve) => {
        release = resolve
      })
      return () => {
        gate = null
        release()
      }
    },
  }
}

/** Two caches of one name on one memory store: one through a front (on a spied store), one without. */
function frontedAndPlain() {
  const backend = createMemoryStore()
  const spy = spied(backend)
  const name = uniqueName()
  return {
    spy,
    fronted: new Cache({ name, store: withMemoryFront(spy.store) }),
    other: new Cache({ name, store: backend }),
  }
}

// How many microtask turns `promise` takes to settle (up to `max`).
async function turnsToSettle(promise: Promise<unknown>, max = 50): Promise<number> {
  let settled = false
  promise.then(
    () => {
      settled = true
    },
    () => {
      settled = true
    },
  )
  for (let turns = 0; turns < max; turns++) {
    if (settled) return turns
    await null
  }
  return max
}

describe.each([
  ["a memory front", () => withMemoryFront(createIndexedDBStore())],
  ["the memory store", () => createMemoryStore()],
])("reads from %s", (_, store) => {
  it("answer in the turn they are made once the cache is open, and wait for a write issued before them", async () => {
    const cache = new Cache({ name: uniqueName(), store: store() })
    await cache.set("k", { n: 1 })
    expect(await turnsToSettle(cache.get("k"))).toBeLessThanOrEqual(1)
    expect(await turnsToSettle(cache.getMany(["k"]))).toBeLessThanOrEqual(1)
    expect(await turnsToSettle(cache.getOrSet("k", () => ({ n: 2 })))).toBeLessThanOrEqual(1)
    expect(await turnsToSettle(cache.getEntry("k"))).toBeLessThanOrEqual(1)
    const write = cache.set("k", { n: 3 })
    expect(await cache.get("k")).toEqual({ n: 3 })
    await write
    await cache.disconnect()
  })

  it("by another cache of the name, issued after a write: the memory store's see it; a front's may not, until its change arrives", async () => {
    const shared = store()
    const name = uniqueName()
    const [a, b] = [new Cache({ name, store: shared }), new Cache({ name, store: shared })]
    await a.set("k", 1)
    expect(await b.get("k")).toBe(1)
    const [, seen] = await Promise.all([a.set("k", 2), b.get("k")])
    expect(seen).toBe(shared.kind === "memory" ? 2 : 1)
    await Promise.all([a.disconnect(), b.disconnect()])
  })
})

describe("memory front", () => {
  it("serves hits from memory: a key read or written once is not read from the store again", async () => {
    const spy = spied(createMemoryStore())
    const cache = new Cache({ name: uniqueName(), store: withMemoryFront(spy.store) })
    await cache.set("written", { n: 1 })
    expect(await cache.get("written")).toEqual({ n: 1 })
    expect(spy.calls.getMany ?? 0).toBe(0)
    await cache.getMany(["written", "absent"])
    expect(spy.calls.getMany).toBe(1) // the miss only
    await cache.disconnect()
  })

  it("concurrent writes of different keys all stay in the front; of one key, the store answers next", async () => {
    const spy = spied(createIndexedDBStore())
    const front = withMemoryFront(spy.store)
    const name = uniqueName()
    const cache = new Cache({ name, store: front })
    await Promise.all(Array.from({ length: 100 }, (_, i) => cache.set(`k${i}`, i)))
    expect(front.frontSize(name)).toBe(100)
    await Promise.all([cache.set("k0", "a"), cache.set("k0", "b")])
    expect(await cache.get("k0")).toBe("b")
    await cache.getMany(Array.from({ length: 100 }, (_, i) => `k${i}`))
    expect(spy.calls.getMany).toBe(1) // k0 only, once
    await cache.disconnect()
  })

  it("writes issued while one is under way wait for it, then go together, in issue order, with the reads of their keys", async () => {
    const log: string[] = []
    let release!: () => void
    const first = new Promise<void>((resolve) => {
      release = resolve
    })
    const backend = createMemoryStore()
    const logged: Store = {
      kind: "memory",
      async open(name, options) {
        const inner = await backend.open(name, options)
        return {
          ...inner,
          backend,
          async setMany(entries) {
            const keys = entries.map(([[, key]]) => key).join()
            log.push(`setMany ${keys}`)
            if (keys === "a") await first
            await inner.setMany(entries)
          },
          async getMany(keys) {
            log.push(`getMany ${keys.map(([, key]) => key).join()}`)
            return inner.getMany(keys)
          },
        }
      },
    }
    const cache = new Cache({ name: uniqueName(), store: withMemoryFront(logged) })
    await cache.connect()
    const a = cache.set("a", 1)
    await new Promise((resolve) => setTimeout(resolve, 5)) // another task
    const b = cache.set("b", 2)
    const readB = cache.get("b")
    const c = cache.set("c", 3)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(log).toEqual(["setMany a"])
    release()
    await Promise.all([a, b, c])
    expect(await readB).toBe(2)
    expect(log).toEqual(["setMany a", "setMany b", "getMany b", "setMany c"])
    await cache.disconnect()
  })

  it("gives copies: changing a value read or written changes neither the front nor the store", async () => {
    const cache = new Cache({ name: uniqueName(), store: withMemoryFront(createMemoryStore()) })
    const value = { list: [1] }
    await cache.set("k", value)
    value.list.push(2)
    const read = (await cache.get("k")) as { list: number[] }
    read.list.push(3)
    expect(await cache.get("k")).toEqual({ list: [1] })
    expect(await cache.getMany(["k"])).toEqual({ k: { list: [1] } })
    await cache.disconnect()
  })

  it("frozen: readers share one deep-frozen value, never the writer's object, nor the store's", async () => {
    const backend = createMemoryStore()
    const name = uniqueName()
    const cache = new Cache({ name, store: withMemoryFront(backend, { frozen: true }) })
    const value = { list: [1], nested: { deep: ["x"] } }
    await cache.set("k", value)
    expect(Object.isFrozen(value)).toBe(false)
    const first = (await cache.get("k")) as typeof value
    expect(await cache.get("k")).toBe(first)
    expect((await cache.getMany(["k"])).k).toBe(first)
    expect([first, first.list, first.nested, first.nested.deep].every(Object.isFrozen)).toBe(true)
    expect(() => first.list.push(2)).toThrow(TypeError)
    // A miss fills the front with a frozen value too; the store keeps its own, unfrozen.
    const other = new Cache({ name, store: backend })
    await other.set("m", { n: 1 })
    const read = (await cache.get("m")) as { n: number }
    expect(Object.isFrozen(read)).toBe(true)
    expect(await cache.get("m")).toBe(read)
    const stored = (await other.get("m")) as { n: number }
    stored.n = 2
    expect(read).toEqual({ n: 1 })
    await Promise.all([cache.disconnect(), other.disconnect()])
  })

  it("frozen: a value that is not plain data (a Map, a Date, a typed array) is still copied", async () => {
    const cache = new Cache({ name: uniqueName(), store: withMemoryFront(createMemoryStore(), { frozen: true }) })
    for (const value of [new Map([["a", 1]]), { at: new Date(0) }, [new Uint8Array([1, 2])]]) {
      await cache.set("k", value)
      const read = await cache.get("k")
      expect(read).toEqual(value)
      expect(Object.isFrozen(read)).toBe(false)
      expect(await cache.get("k")).not.toBe(read)
    }
    await cache.disconnect()
  })

  it("honours expiry and stale windows by the cache's clock", async () => {
    const clock = fakeClock()
    const cache = new Cache({ name: uniqueName(), store: withMemoryFront(createMemoryStore()), clock: clock.now })
    await cache.set("k", 1, { timeout: 1, staleWhileRevalidate: 10 })
    expect(await cache.get("k")).toBe(1)
    clock.advance(1000)
    expect(await cache.get("k")).toBeUndefined()
    expect(await cache.getEntry("k")).toEqual({ value: 1, expiresAt: clock.now(), stale: true })
    await cache.disconnect()
  })

  it("a write through another cache of the name evicts the front's copy (its own writes do not)", async () => {
    const { spy, fronted, other } = frontedAndPlain()
    await fronted.set("k", 1)
    expect(await fronted.get("k")).toBe(1)
    expect(spy.calls.getMany ?? 0).toBe(0)
    await other.set("k", 2)
    expect(await fronted.get("k")).toBe(2)
    await other.delete("k")
    expect(await fronted.get("k")).toBeUndefined()
    await other.set("j", 1)
    expect(await fronted.get("j")).toBe(1)
    await other.clear()
    expect(await fronted.get("j")).toBeUndefined()
    await Promise.all([fronted.disconnect(), other.disconnect()])
  })

  it("a read that raced another cache's write may return the value before it, but never keeps it", async () => {
    const { spy, fronted, other } = frontedAndPlain()
    await other.set("k", "old")
    const release = spy.hold()
    const racing = fronted.get("k")
    await new Promise((resolve) => setTimeout(resolve, 10)) // the read has reached the store
    await other.set("k", "new") // its event reaches the front while the read is under way
    release()
    expect(await racing).toBe("old")
    expect(await fronted.get("k")).toBe("new")
    expect(await fronted.get("k")).toBe("new")
    await Promise.all([fronted.disconnect(), other.disconnect()])
  })

  it("add, incr and touch go to the store, and the front follows what they wrote", async () => {
    const spy = spied(createMemoryStore())
    const cache = new Cache({ name: uniqueName(), store: withMemoryFront(spy.store) })
    await cache.set("n", 1)
    expect(await cache.incr("n")).toBe(2)
    expect(await cache.add("n", 10)).toBe(false)
    expect(await cache.touch("n", 60)).toBe(true)
    expect(spy.calls.update).toBe(3)
    expect(await cache.get("n")).toBe(2)
    await cache.disconnect()
  })

  it("is bounded: past its maxEntries the least recently used leave the front, not the store", async () => {
    const backend = createMemoryStore()
    const front = withMemoryFront(backend, { maxEntries: 2 })
    const name = uniqueName()
    const cache = new Cache({ name, store: front })
    await cache.setMany({ a: 1, b: 2 })
    expect(await cache.get("a")).toBe(1) // a is now the most recently used
    await cache.set("c", 3)
    expect(front.frontSize(name)).toBe(2)
    expect(backend.size(name)).toBe(3)
    expect(await cache.getMany(["a", "b", "c"])).toEqual({ a: 1, b: 2, c: 3 })
    await cache.disconnect()
    expect(front.frontSize(name)).toBe(0)
  })

  it("keeps the store's kind, and refuses an unknown option or a bad bound, naming it", () => {
    expect(withMemoryFront(createIndexedDBStore()).kind).toBe("indexeddb")
    expect(() => withMemoryFront(createMemoryStore(), { max: 10 } as never)).toThrow(/max.*maxEntries/s)
    expect(() => withMemoryFront(createMemoryStore(), { maxEntries: 0 })).toThrow(InvalidArgumentError)
    expect(() => withMemoryFront(createMemoryStore(), { maxEntries: 1.5 })).toThrow(/options\.maxEntries/)
    expect(() => withMemoryFront(createMemoryStore(), { frozen: "yes" as never })).toThrow(/options\.frozen.*boolean/)
    expect(() => withMemoryFront("indexeddb" as never)).toThrow(/createIndexedDBStore/)
    expect(() => withMemoryFront({ kind: "redis", open: async () => ({}) as never })).toThrow(/IndexedDB and memory/)
  })
})
