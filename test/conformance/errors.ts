import { expect, it } from "vitest"
import {
  type Cache,
  CacheError,
  InvalidArgumentError,
  KeyNotFoundError,
  NotANumberError,
  NotStorableError,
  StorageQuotaError,
  StoreClosedError,
  StoreError,
  StoreUnavailableError,
} from "../../src/index.js"
import type { Context } from "./harness.js"

/** A method's name, and a call of it with one bad argument. */
export type Call = [string, (cache: Cache, bad: unknown) => Promise<unknown>]

/** Every method that takes a key, called with a bad one (beside good keys, for the batch methods). */
export const keyCalls: Call[] = [
  ["get", (c, k) => c.get(k as string)],
  ["set", (c, k) => c.set(k as string, 1)],
  ["add", (c, k) => c.add(k as string, 1)],
  ["getOrSet", (c, k) => c.getOrSet(k as string, 1)],
  ["getMany", (c, k) => c.getMany(["ok", k as string])],
  [
    "setMany (pairs)",
    (c, k) =>
      c.setMany([
        ["ok", 1],
        [k as string, 1],
      ]),
  ],
  [
    "setMany (Map)",
    (c, k) =>
      c.setMany(
        new Map<unknown, number>([
          ["ok", 1],
          [k, 1],
        ]) as Map<string, number>,
      ),
  ],
  ["delete", (c, k) => c.delete(k as string)],
  ["deleteMany", (c, k) => c.deleteMany(["k", k as string])],
  ["touch", (c, k) => c.touch(k as string, 5)],
  ["incr", (c, k) => c.incr(k as string)],
  ["decr", (c, k) => c.decr(k as string)],
]

/** Every method that takes a version, called with a bad one. */
export const versionCalls: Call[] = [
  ["get", (c, v) => c.get("k", undefined, { version: v as string })],
  ["set", (c, v) => c.set("k", 2, { version: v as string })],
  ["add", (c, v) => c.add("new", 2, { version: v as string })],
  ["getOrSet", (c, v) => c.getOrSet("new", 2, { version: v as string })],
  ["getMany", (c, v) => c.getMany(["k"], { version: v as string })],
  ["setMany", (c, v) => c.setMany({ k: 2 }, { version: v as string })],
  ["delete", (c, v) => c.delete("k", { version: v as string })],
  ["deleteMany", (c, v) => c.deleteMany(["k"], { version: v as string })],
  ["touch", (c, v) => c.touch("k", 5, { version: v as string })],
  ["incr", (c, v) => c.incr("n", 1, { version: v as string })],
  ["decr", (c, v) => c.decr("n", 1, { version: v as string })],
]

const badKeys: Array<[string, unknown]> = [
  ["a number", 1],
  ["undefined", undefined],
  ["null", null],
  ["an object", { toString: () => "k" }],
  ["an array", ["k"]],
  ["a symbol", Symbol("k")],
  ["a boxed string", Object("k")],
]

const badVersions: Array<[string, unknown]> = [
  ["an object", {}],
  ["an array", [1]],
  ["a boolean", true],
  ["NaN", Number.NaN],
  ["Infinity", Number.POSITIVE_INFINITY],
  ["a symbol", Symbol("v")],
  ["a function", () => 1],
]

/** Seeds a cache, and returns a check that everything is as seeded. */
async function seeded(c: Context): Promise<{ cache: Cache; unchanged: () => Promise<void> }> {
  const cache = c.cache()
  await cache.setMany({ k: "kept", n: 1 })
  return {
    cache,
    async unchanged() {
      expect(await cache.getMany(["k", "n", "ok", "new"])).toEqual({ k: "kept", n: 1 })
      expect(await c.rawCount(cache)).toBe(2)
    },
  }
}

export function errorCases(ctx: () => Context): void {
  it.each(badKeys)(
    "a key that is %s is an InvalidArgumentError (a TypeError) from every method; nothing changes",
    async (_, key) => {
      const { cache, unchanged } = await seeded(ctx())
      for (const [method, call] of keyCalls) {
        const error = await call(cache, key).then(
          () => new Error(`${method} accepted the key`),
          (e: unknown) => e,
        )
        expect(error, method).toBeInstanceOf(InvalidArgumentError)
        expect(error, method).toBeInstanceOf(TypeError)
        expect(error, method).toBeInstanceOf(CacheError)
        expect((error as InvalidArgumentError).code).toBe("ERR_INVALID_ARGUMENT")
        expect((error as Error).message, method).toMatch(/key/)
      }
      await unchanged()
    },
  )

  it.each(badVersions)(
    "a version that is %s is an InvalidArgumentError from every method; nothing changes",
    async (_, version) => {
      const { cache, unchanged } = await seeded(ctx())
      for (const [method, call] of versionCalls) {
        const error = await call(cache, version).then(
          () => new Error(`${method} accepted the version`),
          (e: unknown) => e,
        )
        expect(error, method).toBeInstanceOf(InvalidArgumentError)
        expect((error as Error).message, method).toMatch(/version/)
      }
      await unchanged()
    },
  )

  it.each([
    ["a number", 5],
    ["a string", "abc"],
    ["null", null],
    ["undefined", undefined],
    ["an object", { a: 1 }],
  ])("getMany/deleteMany with keys that are %s is an InvalidArgumentError; nothing changes", async (_, keys) => {
    const { cache, unchanged } = await seeded(ctx())
    await expect(cache.getMany(keys as never)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(cache.deleteMany(keys as never)).rejects.toBeInstanceOf(InvalidArgumentError)
    await unchanged()
  })

  it.each([
    ["a number", 5],
    ["a string", "ab"],
    ["null", null],
    ["undefined", undefined],
    ["an iterable of non-pairs", [["a", 1], "b"]],
    ["an iterable of triples", [["a", 1, 2]]],
  ])("setMany with entries that are %s is an InvalidArgumentError; nothing changes", async (_, entries) => {
    const { cache, unchanged } = await seeded(ctx())
    await expect(cache.setMany(entries as never)).rejects.toBeInstanceOf(InvalidArgumentError)
    await unchanged()
  })

  it("options that are not an object are an InvalidArgumentError", async () => {
    const { cache, unchanged } = await seeded(ctx())
    await expect(cache.set("k", 1, 5 as never)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(cache.get("k", undefined, "v" as never)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(cache.getMany(["k"], null as never)).rejects.toBeInstanceOf(InvalidArgumentError)
    await unchanged()
  })

  it("every error class extends CacheError and has its own stable code", () => {
    const errors = [
      new InvalidArgumentError("x"),
      new KeyNotFoundError("k"),
      new NotANumberError("k", "a string"),
      new NotStorableError("k", "value", "a function"),
      new StorageQuotaError("x"),
      new StoreUnavailableError("x"),
      new StoreClosedError("x"),
      new StoreError("x"),
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(CacheError)
      expect(error).toBeInstanceOf(Error)
      expect(error.name).toBe(error.constructor.name)
      expect(error.code).toMatch(/^ERR_[A-Z_]+$/)
    }
    expect(new Set(errors.map((e) => e.code)).size).toBe(errors.length)
    expect(new KeyNotFoundError("k")).not.toBeInstanceOf(NotANumberError)
    expect(new Error("x")).not.toBeInstanceOf(CacheError)
    expect(new TypeError("x")).not.toBeInstanceOf(CacheError)
    expect(new StoreError("x", { cause: 1 }).cause).toBe(1)
  })
}
