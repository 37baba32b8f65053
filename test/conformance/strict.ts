// Strict arguments: an unknown option, an ambiguous call or a time no store can keep is an
// InvalidArgumentError before anything is touched, never a call that silently does something else.
import { expect, it } from "vitest"
import { Cache, createIndexedDBStore, createMemoryStore, InvalidArgumentError } from "../../src/index.js"
import type { Context } from "./harness.js"

/** The error a call rejects with (or throws), or `null` when it succeeds. */
async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call()
    return null
  } catch (error) {
    return error
  }
}

async function expectInvalid(call: () => unknown, message: RegExp): Promise<void> {
  const error = await failure(call)
  expect(error).toBeInstanceOf(InvalidArgumentError)
  expect((error as Error).message).toMatch(message)
}

export function strictCases(ctx: () => Context): void {
  it("an unknown option of any method is an InvalidArgumentError naming it, with the option meant; nothing written", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", "before")
    const options = (o: object) => o as never
    const calls: Array<[string, () => Promise<unknown>, RegExp]> = [
      ["set ttl", () => cache.set("k", 1, options({ ttl: 60 })), /"ttl".*did you mean "timeout"/],
      ["set maxAge", () => cache.set("k", 1, options({ maxAge: 60 })), /"maxAge".*did you mean "timeout"/],
      ["set timout", () => cache.set("k", 1, options({ timout: 60 })), /"timout".*did you mean "timeout"/],
      ["add ttl", () => cache.add("new", 1, options({ ttl: 60 })), /"ttl".*"timeout"/],
      ["getOrSet maxAge", () => cache.getOrSet("new", () => 1, options({ maxAge: 60 })), /"maxAge".*"timeout"/],
      ["setMany ttl", () => cache.setMany({ k: 1, new: 2 }, options({ ttl: 60 })), /"ttl".*"timeout"/],
      ["get verison", () => cache.get("k", undefined, options({ verison: 2 })), /"verison".*did you mean "version"/],
      ["get timeout", () => cache.get("k", undefined, options({ timeout: 2 })), /"timeout".*options: version\)/],
      ["getMany Version", () => cache.getMany(["k"], options({ Version: 2 })), /"Version".*"version"/],
      ["delete ttl", () => cache.delete("k", options({ ttl: 2 })), /"ttl"/],
      ["deleteMany v", () => cache.deleteMany(["k"], options({ v: 2 })), /"v"/],
      ["touch version typo", () => cache.touch("k", 5, options({ vesion: 2 })), /"vesion".*"version"/],
      ["incr by", () => cache.incr("n", 1, options({ by: 2 })), /"by"/],
      ["decr by", () => cache.decr("n", 1, options({ by: 2 })), /"by"/],
      ["keys prefix", () => cache.keys(options({ prefix: "a" })), /"prefix"/],
      ["entries limit", () => cache.entries(options({ limit: 2 })), /"limit"/],
    ]
    for (const [label, call, message] of calls) {
      const error = await failure(call)
      expect(error, label).toBeInstanceOf(InvalidArgumentError)
      expect((error as Error).message, label).toMatch(message)
      expect((error as Error).message, label).toMatch(/options/)
    }
    expect(await cache.entries()).toEqual([["k", "before"]])
  })

  it("an option given as undefined is still checked by name", async () => {
    const cache = ctx().cache()
    await expectInvalid(() => cache.set("k", 1, { ttl: undefined } as never), /"ttl".*"timeout"/)
    expect(await cache.get("k")).toBeUndefined()
  })

  it("new Cache() rejects an unknown option, with the option meant, before anything opens", async () => {
    const c = ctx()
    await expectInvalid(() => c.cache({ ttl: 60 } as never), /"ttl".*did you mean "timeout"/)
    await expectInvalid(() => c.cache({ namespace: "x" } as never), /"namespace".*did you mean "name"/)
    await expectInvalid(() => c.cache({ maxEntry: 5 } as never), /"maxEntry".*did you mean "maxEntries"/)
    await expectInvalid(() => new Cache("memory://x", { ttl: 1 } as never), /"ttl".*"timeout"/)
    await expectInvalid(() => new Cache("memory://x?ttl=60"), /"ttl".*did you mean "timeout"/)
  })

  it("store factories reject an unknown option, with the option meant", async () => {
    await expectInvalid(() => createMemoryStore({ max: 5 } as never), /createMemoryStore.*"max".*"maxEntries"/)
    await expectInvalid(() => createIndexedDBStore({ durabilty: "strict" } as never), /"durabilty".*"durability"/)
    await expectInvalid(() => createIndexedDBStore({ name: "x" } as never), /cache's name/)
  })

  it("get(key, { version }) is refused, not read as a default value; a third argument settles it", async () => {
    const cache = ctx().cache()
    await cache.set("k", "unversioned")
    await cache.set("k", "v2", { version: 2 })
    await expectInvalid(() => cache.get("k", { version: 2 } as never), /write get\(key, undefined, \{ version \}\)/)
    await expectInvalid(() => cache.get("gone", { version: 2, timeout: 1 } as never), /that is the default value/)
    expect(await cache.get("k", undefined, { version: 2 })).toBe("v2")
    expect(await cache.get("gone", { version: 2 }, {})).toEqual({ version: 2 })
    expect(await cache.get("gone", { version: 2, other: 1 })).toEqual({ version: 2, other: 1 })
    expect(await cache.get("gone", {})).toEqual({})
  })

  it("a number or null where options belong is refused, not taken as options", async () => {
    const cache = ctx().cache()
    await cache.set("n", 1)
    await expectInvalid(() => cache.touch("n", { version: 2 } as never), /timeout must be a positive number.*an object/)
    await expectInvalid(() => cache.incr("n", { version: 2 } as never), /delta must be a finite number, got an object/)
    await expectInvalid(() => cache.getMany(["n"], 2 as never), /options must be an object/)
    expect(await cache.get("n")).toBe(1)
  })

  const huge: Array<[string, number]> = [
    ["1e306", 1e306],
    ["Number.MAX_VALUE", Number.MAX_VALUE],
    ["8.64e12 s (past the last Date from now)", 8.64e12],
  ]

  it.each(huge)(
    "a timeout of %s is rejected by every write and by touch, before anything changes",
    async (_, timeout) => {
      const c = ctx()
      const cache = c.cache()
      await cache.set("k", "before", { timeout: 60 })
      for (const call of [
        () => cache.set("k", 1, { timeout }),
        () => cache.set("new", 1, { timeout }),
        () => cache.add("new", 1, { timeout }),
        () => cache.getOrSet("new", () => 1, { timeout }),
        () => cache.setMany({ k: 1, new: 1 }, { timeout }),
        () => cache.touch("k", timeout),
      ]) {
        await expectInvalid(call, /timeout.*seconds.*null/)
      }
      expect(await cache.entries()).toEqual([["k", "before"]])
      c.clock.advance(59_000)
      expect(await cache.get("k")).toBe("before")
      c.clock.advance(1_000)
      expect(await cache.get("k")).toBeUndefined()
    },
  )

  it("a cache-wide timeout, sweepInterval or ?timeout= past what can be kept is refused at construction", async () => {
    const c = ctx()
    await expectInvalid(() => c.cache({ timeout: 1e306 }), /options\.timeout/)
    await expectInvalid(() => c.cache({ timeout: Number.MAX_VALUE }), /options\.timeout/)
    await expectInvalid(() => c.cache({ sweepInterval: 1e9 }), /options\.sweepInterval.*2147483/)
    const url = c.url("huge", "timeout=1e306")
    if (url) await expectInvalid(() => new Cache(url), /timeout/)
  })

  it("the longest timeout that can be kept is kept, and never expires early, in every store", async () => {
    const c = ctx()
    const cache = c.cache()
    const longest = Math.floor((8.64e15 - c.clock.now()) / 1000) - 1
    await cache.set("k", "kept", { timeout: longest })
    await cache.set("t", "touched")
    expect(await cache.touch("t", longest)).toBe(true)
    c.clock.advance(365 * 24 * 3600 * 1000)
    expect(await cache.getMany(["k", "t"])).toEqual({ k: "kept", t: "touched" })
  })
}
