import { expect, it, vi } from "vitest"
import { type Cache, type ChangeEvent, InvalidArgumentError, NotStorableError } from "../../src/index.js"
import { type Context, uniqueName } from "./harness.js"

/** What a subscription received, and a way to wait for the next `n` events. */
function record(cache: Cache): { events: ChangeEvent[]; stop: () => void; count: (n: number) => Promise<void> } {
  const events: ChangeEvent[] = []
  const stop = cache.subscribe((event) => events.push(event))
  return {
    events,
    stop,
    // Other objects of the realm get events at once; other processes (Redis) a moment later.
    count: (n) => vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(n), { timeout: 5_000, interval: 5 }),
  }
}

/** A cache of `name` and a second object of the same name on the same backend, both connected. */
async function pair(c: Context): Promise<[Cache, Cache]> {
  const name = uniqueName()
  const a = c.cache({ name })
  const b = c.cache({ name })
  await Promise.all([a.connect(), b.connect()])
  return [a, b]
}

const shape = (events: readonly ChangeEvent[]) => events.map(({ type, keys, version }) => ({ type, keys, version }))

export function changeCases(ctx: () => Context): void {
  it("subscribe works unbound: each committed call sends one event, local for the object that made it", async () => {
    const c = ctx()
    const cache = c.cache()
    const { subscribe } = cache
    const events: ChangeEvent[] = []
    const stop = subscribe((event) => events.push(event))
    await cache.set("k", 1)
    expect(events).toEqual([{ type: "set", keys: ["k"], version: null, local: true }])
    stop()
    await cache.set("k", 2)
    expect(events).toHaveLength(1)
  })

  it("every writing method sends its event type, keys and version; a no-op sends nothing", async () => {
    const c = ctx()
    const cache = c.cache()
    const { events, stop } = record(cache)
    await cache.set("a", 1, { version: 2 })
    await cache.add("a", 5, { version: 2 }) // a live entry is there: no-op
    await cache.add("b", 5)
    expect(await cache.getOrSet("b", 9)).toBe(5) // a hit: no-op
    await cache.getOrSet("c", () => 3, { version: "v" })
    await cache.setMany({ d: 1, e: 2 })
    await cache.setMany([
      ["f", 1],
      ["f", 2],
    ])
    expect(await cache.touch("nope", 10)).toBe(false)
    expect(await cache.touch("d", 10)).toBe(true)
    await cache.incr("d")
    await cache.decr("d", 2)
    expect(await cache.delete("nope")).toBe(false)
    expect(await cache.delete("e")).toBe(true)
    expect(await cache.deleteMany(["d", "f", "missing"])).toBe(2)
    expect(await cache.deleteMany(["d", "f"])).toBe(0)
    await cache.clear()
    expect(shape(events)).toEqual([
      { type: "set", keys: ["a"], version: "2" },
      { type: "set", keys: ["b"], version: null },
      { type: "set", keys: ["c"], version: "v" },
      { type: "set", keys: ["d", "e"], version: null },
      { type: "set", keys: ["f"], version: null },
      { type: "set", keys: ["d"], version: null },
      { type: "set", keys: ["d"], version: null },
      { type: "set", keys: ["d"], version: null },
      { type: "delete", keys: ["e"], version: null },
      { type: "delete", keys: ["d", "f"], version: null },
      { type: "clear", keys: [], version: null },
    ])
    expect(events.every((event) => event.local)).toBe(true)
    stop()
  })

  it("a cache-wide default version is the event's version; its string form", async () => {
    const c = ctx()
    const cache = c.cache({ version: 3 })
    const { events } = record(cache)
    await cache.set("k", 1)
    await cache.set("k", 1, { version: null })
    expect(shape(events)).toEqual([
      { type: "set", keys: ["k"], version: "3" },
      { type: "set", keys: ["k"], version: null },
    ])
  })

  it("a failed call, or a delete of only expired or stale entries, sends nothing", async () => {
    const c = ctx()
    const cache = c.cache()
    const { events } = record(cache)
    await expect(cache.incr("missing")).rejects.toThrow()
    await cache.set("word", "x")
    await expect(cache.incr("word")).rejects.toThrow()
    await expect(cache.set("f", () => 1)).rejects.toBeInstanceOf(NotStorableError)
    await expect(cache.setMany({ ok: 1, bad: Symbol("no") })).rejects.toBeInstanceOf(NotStorableError)
    await expect(cache.set("k", 1, { timeout: -1 })).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(cache.getOrSet("g", () => Promise.reject(new Error("down")))).rejects.toThrow("down")
    await cache.set("old", 1, { timeout: 1, staleIfError: 60 })
    await cache.set("older", 1, { timeout: 1 })
    c.clock.advance(2_000)
    expect(await cache.deleteMany(["old", "older"])).toBe(0)
    expect(shape(events)).toEqual([
      { type: "set", keys: ["word"], version: null },
      { type: "set", keys: ["old"], version: null },
      { type: "set", keys: ["older"], version: null },
    ])
  })

  it("another cache object of the name on the same backend receives each event once, not local; another name none", async () => {
    const c = ctx()
    const [a, b] = await pair(c)
    const other = c.cache()
    const mine = record(a)
    const theirs = record(b)
    const stranger = record(other)
    await a.set("k", 1)
    await b.deleteMany(["k", "none"])
    await a.clear()
    await theirs.count(3)
    await mine.count(3)
    expect(theirs.events).toEqual([
      { type: "set", keys: ["k"], version: null, local: false },
      { type: "delete", keys: ["k"], version: null, local: true },
      { type: "clear", keys: [], version: null, local: false },
    ])
    expect(mine.events.map((event) => event.local)).toEqual([true, false, true])
    await other.set("own", 1)
    await stranger.count(1)
    expect(shape(stranger.events)).toEqual([{ type: "set", keys: ["own"], version: null }])
    expect(theirs.events).toHaveLength(3)
    expect(mine.events).toHaveLength(3)
  })

  it("a cache that subscribes before it is connected still receives the next change", async () => {
    const c = ctx()
    const name = uniqueName()
    const writer = c.cache({ name })
    const reader = c.cache({ name })
    const { events, count } = record(reader)
    await writer.set("k", "v")
    await count(1)
    expect(events).toEqual([{ type: "set", keys: ["k"], version: null, local: false }])
    expect(reader.storeKind).not.toBeNull() // subscribing connected it
  })

  it("a listener that throws harms neither the call nor the other listeners", async () => {
    const c = ctx()
    const [a, b] = await pair(c)
    a.subscribe(() => {
      throw new Error("listener bug")
    })
    b.subscribe(() => {
      throw new Error("listener bug")
    })
    const mine = record(a)
    const theirs = record(b)
    await expect(a.set("k", 1)).resolves.toBeUndefined()
    await theirs.count(1)
    expect(mine.events).toHaveLength(1)
    expect(await b.get("k")).toBe(1)
  })

  it("unsubscribing ends one subscription only (the same function subscribed twice counts twice); a second call does nothing", async () => {
    const c = ctx()
    const cache = c.cache()
    let calls = 0
    const listener = (): void => {
      calls++
    }
    const first = cache.subscribe(listener)
    const second = cache.subscribe(listener)
    await cache.set("k", 1)
    expect(calls).toBe(2)
    first()
    first()
    await cache.set("k", 2)
    expect(calls).toBe(3)
    second()
    await cache.set("k", 3)
    expect(calls).toBe(3)
    expect(() => cache.subscribe("nope" as never)).toThrow(InvalidArgumentError)
  })

  it("disconnect() ends the subscriptions; a later subscribe starts a new one and connects", async () => {
    const c = ctx()
    const [a, b] = await pair(c)
    const before = record(b)
    await b.disconnect()
    await a.set("k", 1)
    await b.set("own", 1) // reconnects b; its old subscription is over
    const marker = record(a)
    await b.set("marker", 1)
    await marker.count(1)
    expect(before.events).toEqual([])
    const after = record(b)
    expect(b.storeKind).not.toBeNull()
    await vi.waitFor(async () => {
      await a.set("again", Math.random())
      expect(after.events.length).toBeGreaterThan(0)
    })
    expect(after.events[0]).toMatchObject({ type: "set", keys: ["again"], local: false })
  })

  it("a background refresh that stores its result sends a set event, to every subscriber", async () => {
    const c = ctx()
    const [a, b] = await pair(c)
    await a.set("feed", "old", { timeout: 1, staleWhileRevalidate: 60 })
    c.clock.advance(1_500)
    const mine = record(a)
    const theirs = record(b)
    expect(await a.getOrSet("feed", () => "new", { timeout: 1, staleWhileRevalidate: 60 })).toBe("old")
    await mine.count(1)
    await theirs.count(1)
    expect(mine.events).toEqual([{ type: "set", keys: ["feed"], version: null, local: true }])
    expect(theirs.events).toEqual([{ type: "set", keys: ["feed"], version: null, local: false }])
  })
}
