import { describe, expect, it } from "vitest"
import { commands } from "vitest/browser"
import { openCaches } from "./open-caches.js"
import {
  addConcurrently,
  countConcurrently,
  deleteDatabase,
  read,
  remove,
  upgradeDatabase,
  write,
} from "./tab-workloads.js"

const workloads = "/test/browser/tab-workloads.ts"
const inOtherTab = <T>(exportName: string, ...args: unknown[]): Promise<T> =>
  commands.runInNewTab<T>(workloads, exportName, args)
const freshName = (): string => `tabs-${crypto.randomUUID()}`

const cacheFor = openCaches()

describe("two tabs of one origin", () => {
  it("2 tabs × 500 concurrent incr on one key add exactly 1000; decr likewise", async () => {
    const name = freshName()
    await cacheFor(name).set("n", 0)
    const [mine, theirs] = await Promise.all([
      countConcurrently(name, "n", 500),
      inOtherTab<number[]>("countConcurrently", name, "n", 500),
    ])
    expect(await cacheFor(name).get("n")).toBe(1000)
    // every value 1..1000 was returned exactly once: the increments were serialised
    expect([...mine, ...theirs].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    await Promise.all([countConcurrently(name, "n", 500, -1), inOtherTab("countConcurrently", name, "n", 500, -1)])
    expect(await cacheFor(name).get("n")).toBe(0)
  })

  it("2 tabs × 20 concurrent add on one key: exactly one returns true", async () => {
    const name = freshName()
    const [mine, theirs] = await Promise.all([
      addConcurrently(name, "lock", 20, "mine"),
      inOtherTab<number>("addConcurrently", name, "lock", 20, "theirs"),
    ])
    expect(mine + theirs).toBe(1)
    expect(String(await cacheFor(name).get("lock"))).toMatch(/^(mine|theirs)-\d+$/)
  })

  it("set, delete and clear in one tab are seen by the other at once", async () => {
    const name = freshName()
    const cache = cacheFor(name)
    await cache.set("a", { from: "this tab" })
    expect(await inOtherTab("read", name, ["a"])).toEqual({ a: { from: "this tab" } })
    await inOtherTab("write", name, { b: 2, c: 3 })
    expect(await cache.getMany(["a", "b", "c"])).toEqual({ a: { from: "this tab" }, b: 2, c: 3 })
    expect(await inOtherTab("remove", name, ["a"])).toBe(1)
    expect(await cache.get("a")).toBeUndefined()
    await cache.clear()
    expect(await inOtherTab("read", name, ["b", "c"])).toEqual({})
    await inOtherTab("clear", name)
    await write(name, { d: 4 })
    expect(await inOtherTab("read", name, ["d"])).toEqual({ d: 4 })
    expect(await remove(name, ["d"])).toBe(1)
  })

  it("a live cache never blocks another tab's upgrade or delete; its next call reopens", async () => {
    const name = freshName()
    const cache = cacheFor(name)
    await cache.set("k", "before")
    const upgraded = await inOtherTab<{ version: number; blocked: boolean }>("upgradeDatabase", name)
    expect(upgraded.blocked).toBe(false)
    expect(await cache.get("k")).toBe("before")
    await cache.set("k", "after upgrade")
    expect(await read(name, ["k"])).toEqual({ k: "after upgrade" })

    const deleted = await inOtherTab<{ blocked: boolean }>("deleteDatabase", name)
    expect(deleted.blocked).toBe(false)
    expect(await cache.get("k")).toBeUndefined()
    await cache.set("k", "after delete")
    expect(await inOtherTab("read", name, ["k"])).toEqual({ k: "after delete" })
  })

  it("this tab's upgrade and delete are not blocked by a cache open in another page", async () => {
    const name = freshName()
    await cacheFor(name).set("k", 1)
    expect((await upgradeDatabase(name)).blocked).toBe(false)
    expect((await deleteDatabase(name)).blocked).toBe(false)
    expect(await cacheFor(name).get("k")).toBeUndefined()
  })
})

describe("a page and a worker of one origin", () => {
  it("share entries, and 300 + 300 concurrent incr add exactly 600", async () => {
    const name = freshName()
    await cacheFor(name).set("n", 0)
    const worker = new Worker(new URL("./counter.worker.ts", import.meta.url), { type: "module" })
    try {
      const fromWorker = new Promise<number[]>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<number[]>) => resolve(event.data)
        worker.onerror = (event) => reject(new Error(event.message))
      })
      worker.postMessage({ name, n: 300 })
      const [mine, theirs] = await Promise.all([countConcurrently(name, "n", 300), fromWorker])
      expect(await cacheFor(name).get("n")).toBe(600)
      expect([...mine, ...theirs].sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1))
    } finally {
      worker.terminate()
    }
  })
})
