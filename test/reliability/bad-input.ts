// Every method × every kind of bad argument: each call must reject with the documented error class
// and code, name the argument at fault, and leave the storage exactly as it was (raw records
// compared before and after every single call).
import { afterAll, describe, expect, it } from "vitest"
import { Cache, CacheError, InvalidArgumentError, NotStorableError } from "../../src/index.js"
import { keyCalls, versionCalls } from "../conformance/errors.js"
import { type RawRecord, rawRecords, type StoreKind } from "./raw-storage.js"
import { difference } from "./same-value.js"

class Point {
  x = 1
}

const cyclicWithFunction = (): unknown => {
  const value: Record<string, unknown> = { list: [] }
  value.self = value
  ;(value.list as unknown[]).push(value, { deep: { onClick: () => 1 } })
  return value
}

type Kind = readonly [description: string, make: () => unknown]

const badKeys: Kind[] = [
  ["a number", () => 1],
  ["NaN", () => Number.NaN],
  ["undefined", () => undefined],
  ["null", () => null],
  ["a boolean", () => true],
  ["an object with toString", () => ({ toString: () => "k" })],
  ["an array", () => ["k"]],
  ["a symbol", () => Symbol("k")],
  ["a boxed string", () => Object("k")],
  ["a BigInt", () => 1n],
  ["a function", () => () => "k"],
]

const badValues: Kind[] = [
  ["undefined", () => undefined],
  ["a function", () => () => 1],
  ["a symbol", () => Symbol("v")],
  ["a cyclic object with a function inside", cyclicWithFunction],
  ["a class instance", () => new Point()],
  ["an Error", () => new Error("x")],
  ["a Promise", () => Promise.resolve(1)],
  ["a WeakMap", () => new WeakMap()],
  ["an object with a symbol key", () => ({ [Symbol("s")]: 1 })],
  ["a Map holding a function", () => new Map([["f", () => 1]])],
  ["a Set holding a symbol", () => new Set([Symbol("s")])],
  ["a subclass of Map", () => new (class Registry extends Map {})()],
  ["a proxy", () => new Proxy({ a: 1 }, {})],
]

const badTimeouts: Kind[] = [
  ["NaN", () => Number.NaN],
  ["Number.MAX_VALUE", () => Number.MAX_VALUE],
  ["1e306 (past the last valid Date)", () => 1e306],
  ["8.64e12 s (past the last valid Date from now)", () => 8.64e12],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ["-Infinity", () => Number.NEGATIVE_INFINITY],
  ["0", () => 0],
  ["-0", () => -0],
  ["a negative number", () => -1],
  ["a tiny negative number", () => -Number.MIN_VALUE],
  ["a numeric string", () => "1"],
  ["a string", () => "soon"],
  ["a boolean", () => true],
  ["an object", () => ({})],
  ["a BigInt", () => 1n],
  ["an array", () => [1]],
  ["a Date", () => new Date(0)],
  ["a boxed number", () => Object(5)],
]

const badVersions: Kind[] = [
  ["an object", () => ({})],
  ["an array", () => [1]],
  ["a boolean", () => true],
  ["NaN", () => Number.NaN],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ["-Infinity", () => Number.NEGATIVE_INFINITY],
  ["a symbol", () => Symbol("v")],
  ["a function", () => () => 1],
  ["a BigInt", () => 1n],
  ["a Date", () => new Date(0)],
  ["a boxed string", () => Object("v")],
]

const badDeltas: Kind[] = [
  ["NaN", () => Number.NaN],
  ["Infinity", () => Number.POSITIVE_INFINITY],
  ["-Infinity", () => Number.NEGATIVE_INFINITY],
  ["a numeric string", () => "1"],
  ["null", () => null],
  ["an object", () => ({})],
  ["a BigInt", () => 1n],
  ["a boolean", () => true],
  ["a boxed number", () => Object(1)],
]

const badKeyLists: Kind[] = [
  ["a number", () => 5],
  ["a string", () => "ab"],
  ["null", () => null],
  ["undefined", () => undefined],
  ["a boolean", () => true],
  ["a plain object", () => ({ a: 1 })],
  ["a function", () => () => ["a"]],
  ["a Map with non-string keys", () => new Map([[1, "x"]])],
  ["a Map with string keys (it yields pairs)", () => new Map([["k", 1]])],
  ["an array holding a number", () => ["k", 1]],
  ["an array holding undefined", () => ["k", undefined]],
  ["a Set holding a symbol", () => new Set(["k", Symbol("s")])],
  [
    "a generator yielding an object",
    () =>
      (function* () {
        yield "k"
        yield {}
      })(),
  ],
]

const badEntries: Kind[] = [
  ["a number", () => 5],
  ["a string", () => "ab"],
  ["null", () => null],
  ["undefined", () => undefined],
  ["a boolean", () => true],
  ["a function", () => () => ({ k: 1 })],
  [
    "a Map with a number key",
    () =>
      new Map<unknown, unknown>([
        ["ok", 1],
        [1, "x"],
      ]),
  ],
  [
    "a Map with a symbol key",
    () =>
      new Map<unknown, unknown>([
        ["ok", 1],
        [Symbol("s"), "x"],
      ]),
  ],
  [
    "a Map with an object key",
    () =>
      new Map<unknown, unknown>([
        ["ok", 1],
        [{}, "x"],
      ]),
  ],
  [
    "an array of pairs with a number key",
    () => [
      ["ok", 1],
      [1, "x"],
    ],
  ],
  ["an array holding a non-pair", () => [["ok", 1], "b"]],
  ["an array holding a triple", () => [["ok", 1, 2]]],
  ["an array holding a single", () => [["ok"]]],
  [
    "a Set of pairs with a null key",
    () =>
      new Set([
        ["ok", 1],
        [null, 1],
      ]),
  ],
]

const badOptions: Kind[] = [
  ["a number", () => 5],
  ["a string", () => "v"],
  ["null", () => null],
  ["a boolean", () => true],
  ["a symbol", () => Symbol("o")],
  ["a function", () => () => ({})],
  ["an object with an unknown option", () => ({ ttl: 60 })],
  ["an object with a misspelt version", () => ({ verison: 2 })],
]

type Expected = "InvalidArgumentError" | "NotStorableError"

/** One bad call: which method, which argument, what kind of bad value, and what must happen. */
export interface BadCall {
  readonly method: string
  readonly argument: string
  readonly kind: string
  readonly expected: Expected
  /** What the message must name. */
  readonly names: RegExp
  readonly run: (cache: Cache) => Promise<unknown>
}

type Run = (cache: Cache, bad: unknown) => Promise<unknown>

// A factory may return a promise (it is awaited): for factories, a Promise is not a bad value.
const notForFactories = new Set(["a Promise"])
const factoryCall = (method: string): boolean => method.includes("factory")

const matrix: Array<[argument: string, kinds: Kind[], expected: Expected, names: RegExp, calls: Array<[string, Run]>]> =
  [
    ["key", badKeys, "InvalidArgumentError", /key/, keyCalls],
    [
      "value",
      badValues,
      "NotStorableError",
      /value/,
      [
        ["set (new key)", (c, v) => c.set("new", v)],
        ["set (existing key)", (c, v) => c.set("k", v)],
        ["add (new key)", (c, v) => c.add("new", v)],
        ["add (existing key)", (c, v) => c.add("k", v)],
        // A function is a factory, never a value: only non-functions are passed as the value.
        ["getOrSet (value)", (c, v) => c.getOrSet("new", typeof v === "function" ? () => v : v)],
        ["getOrSet (sync factory)", (c, v) => c.getOrSet("new", () => v)],
        ["getOrSet (async factory)", (c, v) => c.getOrSet("new", async () => v)],
        ["setMany (object)", (c, v) => c.setMany({ new: 1, k: v })],
        [
          "setMany (Map)",
          (c, v) =>
            c.setMany(
              new Map([
                ["new", 1],
                ["k", v],
              ]),
            ),
        ],
        [
          "setMany (pairs, bad last)",
          (c, v) =>
            c.setMany([
              ["new", 1],
              ["k", v],
            ]),
        ],
        [
          "setMany (pairs, bad first)",
          (c, v) =>
            c.setMany([
              ["k", v],
              ["new", 1],
            ]),
        ],
      ],
    ],
    [
      "timeout",
      badTimeouts,
      "InvalidArgumentError",
      /timeout/,
      [
        ["set", (c, t) => c.set("k", 2, { timeout: t as number })],
        ["add", (c, t) => c.add("new", 2, { timeout: t as number })],
        ["getOrSet (miss)", (c, t) => c.getOrSet("new", 2, { timeout: t as number })],
        ["getOrSet (hit)", (c, t) => c.getOrSet("k", 2, { timeout: t as number })],
        ["setMany", (c, t) => c.setMany({ k: 2, new: 2 }, { timeout: t as number })],
        ["touch", (c, t) => c.touch("k", t as number)],
      ],
    ],
    ["version", badVersions, "InvalidArgumentError", /version/, versionCalls],
    [
      "delta",
      badDeltas,
      "InvalidArgumentError",
      /delta/,
      [
        ["incr", (c, d) => c.incr("n", d as number)],
        ["decr", (c, d) => c.decr("n", d as number)],
        ["incr (missing key)", (c, d) => c.incr("new", d as number)],
      ],
    ],
    [
      "keys",
      badKeyLists,
      "InvalidArgumentError",
      /keys/,
      [
        ["getMany", (c, keys) => c.getMany(keys as string[])],
        ["deleteMany", (c, keys) => c.deleteMany(keys as string[])],
      ],
    ],
    ["entries", badEntries, "InvalidArgumentError", /entries/, [["setMany", (c, e) => c.setMany(e as never)]]],
    [
      "options",
      badOptions,
      "InvalidArgumentError",
      /options/,
      [
        ["get", (c, o) => c.get("k", undefined, o as never)],
        ["set", (c, o) => c.set("k", 2, o as never)],
        ["add", (c, o) => c.add("new", 2, o as never)],
        ["getOrSet", (c, o) => c.getOrSet("new", 2, o as never)],
        ["getMany", (c, o) => c.getMany(["k"], o as never)],
        ["setMany", (c, o) => c.setMany({ k: 2 }, o as never)],
        ["delete", (c, o) => c.delete("k", o as never)],
        ["deleteMany", (c, o) => c.deleteMany(["k"], o as never)],
        ["touch", (c, o) => c.touch("k", 5, o as never)],
        ["incr", (c, o) => c.incr("n", 1, o as never)],
        ["decr", (c, o) => c.decr("n", 1, o as never)],
      ],
    ],
  ]

/** Every method × every bad argument kind. */
export const badCalls: BadCall[] = matrix.flatMap(([argument, kinds, expected, names, calls]) =>
  calls.flatMap(([method, run]) =>
    kinds
      .filter(([kind]) => !(factoryCall(method) && notForFactories.has(kind)))
      .map(([kind, make]): BadCall => ({ method, argument, kind, expected, names, run: (c) => run(c, make()) })),
  ),
)

const byArgument = (): Array<[string, BadCall[]]> => {
  const groups = new Map<string, BadCall[]>()
  for (const call of badCalls) groups.set(call.argument, [...(groups.get(call.argument) ?? []), call])
  return [...groups]
}

const classes = { InvalidArgumentError, NotStorableError }
const codes = { InvalidArgumentError: "ERR_INVALID_ARGUMENT", NotStorableError: "ERR_VALUE_NOT_STORABLE" }

/** Seeds a cache with entries in several versions, expiring or not. */
async function seeded(cache: Cache): Promise<void> {
  await cache.setMany({ k: "kept", n: 1, ["__proto__"]: { deep: [1, { two: 2 }] } })
  await cache.setMany({ k: "in v", n: 10 }, { version: "v", timeout: 60 })
  await cache.set("k", new Map([["m", new Set([1])]]), { version: 2, timeout: 0.5 })
}

function sameRecords(after: RawRecord[], before: RawRecord[]): string | null {
  return difference(after, before, "records")
}

/**
 * Registers the exhaustive bad-input tests for one store: one test per argument, each trying every
 * method with every bad kind of that argument on a seeded cache, comparing the raw storage before
 * and after each call. `onDone` receives how many bad calls were tried.
 */
export function describeBadInput(
  label: string,
  kind: StoreKind,
  onDone: (tried: number) => Promise<void> | void,
): void {
  describe(`bad input, exhaustively: ${label}`, () => {
    let tried = 0
    afterAll(async () => {
      await onDone(tried)
    })
    it.each(byArgument())("every method × every bad %s", async (_, calls) => {
      const name = `bad-${crypto.randomUUID()}`
      const cache = new Cache({ name, store: kind, sweepInterval: null })
      try {
        await seeded(cache)
        const seededRecords = await rawRecords(kind, name)
        expect(seededRecords.length).toBe(6)
        for (const call of calls) {
          const label = `${call.method} with ${call.argument} = ${call.kind}`
          const before = await rawRecords(kind, name)
          const error = await call.run(cache).then(
            () => new Error(`${label} was accepted`),
            (e: unknown) => e,
          )
          expect(error, label).toBeInstanceOf(classes[call.expected])
          expect(error, label).toBeInstanceOf(CacheError)
          expect((error as { code?: unknown }).code, label).toBe(codes[call.expected])
          expect((error as Error).message, label).toMatch(call.names)
          if (call.expected === "NotStorableError") expect((error as NotStorableError).key, label).toMatch(/^(k|new)$/)
          expect(sameRecords(await rawRecords(kind, name), before), label).toBeNull()
          tried++
        }
        expect(sameRecords(await rawRecords(kind, name), seededRecords)).toBeNull()
      } finally {
        await cache.clear()
        await cache.disconnect()
      }
    })
  })
}
