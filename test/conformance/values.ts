import { expect, it } from "vitest"
import { CacheError, NotStorableError } from "../../src/index.js"
import type { Context } from "./harness.js"

class Point {
  x = 1
  #secret = 2
  get secret(): number {
    return this.#secret
  }
}

export function valueCases(ctx: () => Context): void {
  const samples: Array<[string, unknown]> = [
    ["null", null],
    ["a number", 42.5],
    ["NaN", Number.NaN],
    ["-0", -0],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a string", "héllo ✓"],
    ["the empty string", ""],
    ["true", true],
    ["false", false],
    ["a plain object", { a: 1, nested: { b: [1, "two", null] } }],
    ["an array", [1, [2, [3]], { four: 4 }]],
    // biome-ignore lint/suspicious/noSparseArray: a sparse array is the case under test
    ["a sparse array", [1, , 3]],
    ["a Date", new Date(1_700_000_000_123)],
    [
      "a Map",
      new Map<unknown, unknown>([
        ["a", 1],
        [2, { b: 2 }],
      ]),
    ],
    ["a Set", new Set([1, "two", 3])],
    ["a RegExp", /ab+c/gi],
    ["an ArrayBuffer", new Uint8Array([1, 2, 3]).buffer],
    ["a Uint8Array", new Uint8Array([1, 2, 255])],
    ["a Float64Array", new Float64Array([1.5, -2])],
    ["a DataView", new DataView(new ArrayBuffer(4))],
    ["a BigInt", 12345678901234567890n],
    ["a BigInt64Array", new BigInt64Array([1n, -1n])],
    ["an object with a null prototype", Object.assign(Object.create(null), { a: 1 })],
    ["a boxed string", Object("boxed")],
  ]

  it.each(samples)("round-trips %s", async (_, value) => {
    const cache = ctx().cache()
    await cache.set("k", value)
    const back = await cache.get("k")
    if (typeof value === "number") expect(Object.is(back, value)).toBe(true)
    else expect(back).toEqual(value)
    if (value !== null && typeof value === "object") {
      expect(Object.prototype.toString.call(back)).toBe(Object.prototype.toString.call(value))
    }
  })

  it("undefined inside a value is data: own properties, array elements and Map values come back", async () => {
    const cache = ctx().cache()
    const value = { a: undefined, list: [1, undefined, 3], map: new Map([["m", undefined]]), deep: { b: undefined } }
    await cache.set("k", value)
    await cache.setMany({ many: { a: undefined } })
    expect(await cache.getOrSet("made", () => ({ x: undefined }))).toEqual({ x: undefined })
    const back = (await cache.get("k")) as typeof value
    expect(Object.hasOwn(back, "a")).toBe(true)
    expect(Object.hasOwn(back.deep, "b")).toBe(true)
    expect(back.a).toBeUndefined()
    expect(1 in back.list).toBe(true)
    expect(back.list).toEqual([1, undefined, 3])
    expect(back.map.has("m")).toBe(true)
    const { many } = await cache.getMany<{ a?: undefined }>(["many"])
    expect(many !== undefined && Object.hasOwn(many, "a")).toBe(true)
    const made = (await cache.get("made")) as { x?: undefined }
    expect(Object.hasOwn(made, "x")).toBe(true)
    expect(await cache.entries()).toContainEqual(["many", { a: undefined }])
  })

  it("round-trips JSON values exactly", async () => {
    const cache = ctx().cache()
    const json = { s: "x", n: 1.25, b: true, z: null, a: [1, { deep: ["y"] }], o: {} }
    await cache.set("json", json)
    expect(JSON.stringify(await cache.get("json"))).toBe(JSON.stringify(json))
  })

  it("round-trips holes, array properties, an own __proto__ property and shared references", async () => {
    const cache = ctx().cache()
    const shared = { s: 1 }
    // biome-ignore lint/suspicious/noSparseArray: holes are part of the case
    const list: unknown[] & { label?: string } = [shared, , shared]
    list.label = "L"
    const value = JSON.parse('{"__proto__": {"polluted": true}, "n": 1}') as Record<string, unknown>
    value.list = list
    await cache.set("k", value)
    for (let read = 0; read < 2; read++) {
      const back = (await cache.get("k")) as Record<string, unknown> & { list: typeof list }
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
      expect(Object.hasOwn(back, "__proto__")).toBe(true)
      expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toEqual({ polluted: true })
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
      expect(back.list).toHaveLength(3)
      expect(1 in back.list).toBe(false)
      expect(back.list.label).toBe("L")
      expect(back.list[0]).toBe(back.list[2])
      expect(back.list[0]).not.toBe(shared)
    }
  })

  it("round-trips a cyclic object", async () => {
    const cache = ctx().cache()
    const value: { self?: unknown; list: unknown[] } = { list: [] }
    value.self = value
    value.list.push(value)
    await cache.set("k", value)
    const back = (await cache.get("k")) as typeof value
    expect(back.self).toBe(back)
    expect(back.list[0]).toBe(back)
  })

  it("stores a copy: changing the object after set does not change the entry", async () => {
    const cache = ctx().cache()
    const value = { list: [1], when: new Date(0) }
    const writing = cache.set("k", value)
    value.list.push(2) // even before the write completes
    await writing
    value.when.setTime(99)
    expect(await cache.get("k")).toEqual({ list: [1], when: new Date(0) })
  })

  it("returns a copy (or, sharing frozen values, one that refuses change): what get returned cannot change the entry", async () => {
    const c = ctx()
    const cache = c.cache()
    await cache.set("k", { list: [1] })
    const change = (value: unknown, item: number): void => {
      const push = (): void => {
        ;(value as { list: number[] }).list.push(item)
      }
      if (c.target.sharesFrozenValues) expect(push).toThrow(TypeError)
      else push()
    }
    change(await cache.get("k"), 2)
    const [second, many] = await Promise.all([cache.get("k"), cache.getMany(["k"])])
    expect(second).toEqual({ list: [1] })
    change(many.k, 3)
    expect(await cache.get("k")).toEqual({ list: [1] })
  })

  it("setMany and getOrSet store copies too", async () => {
    const cache = ctx().cache()
    const a = { n: 1 }
    const b = { n: 2 }
    await cache.setMany({ a })
    await cache.getOrSet("b", () => b)
    a.n = 10
    b.n = 20
    expect(await cache.getMany(["a", "b"])).toEqual({ a: { n: 1 }, b: { n: 2 } })
  })

  const rejected: Array<[string, unknown, string]> = [
    ["undefined", undefined, "value"],
    ["a function", () => 1, "value"],
    ["a symbol", Symbol("s"), "value"],
    ["a class instance", new Point(), "value"],
    ["an Error", new Error("x"), "value"],
    ["a WeakMap", new WeakMap(), "value"],
    ["a nested function", { a: { b: [1, { onClick: () => 1 }] } }, "value.a.b[1].onClick"],
    ["a nested class instance", [new Point()], "value[0]"],
    ["a function inside a Map", new Map([["fn", () => 1]]), 'value.get("fn")'],
    ["a symbol inside a Set", new Set([Symbol("s")]), "value.<item 0>"],
    ["an object with symbol keys", { [Symbol("k")]: 1 }, "value"],
    ["a subclass of Map", new (class Registry extends Map {})(), "value"],
  ]

  it.each(rejected)(
    "rejects %s with NotStorableError naming the key and path; nothing is written",
    async (_, value, path) => {
      const c = ctx()
      const cache = c.cache()
      await cache.set("k", "before")
      for (const attempt of [
        () => cache.set("k", value),
        () => cache.set("other", value),
        () => cache.add("new", value),
        () => cache.setMany({ fine: 1, k: value }),
        () => cache.getOrSet("new", () => value),
        () => cache.getOrSet("new", async () => value),
      ]) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e,
        )
        expect(error).toBeInstanceOf(NotStorableError)
        expect(error).toBeInstanceOf(CacheError)
        expect((error as NotStorableError).code).toBe("ERR_VALUE_NOT_STORABLE")
        expect((error as NotStorableError).path).toBe(path)
        expect((error as Error).message).toContain(path)
        expect((error as Error).message).toMatch(/"(k|other|new)"/)
      }
      expect(await cache.getMany(["k", "other", "new", "fine"])).toEqual({ k: "before" })
      expect(await c.rawCount(cache)).toBe(1)
    },
  )

  it("a Promise is not a value: set rejects it, getOrSet awaits what a factory returns", async () => {
    const cache = ctx().cache()
    await expect(cache.set("p", Promise.resolve(1))).rejects.toThrow(/instance of Promise/)
    expect(await cache.getOrSet("p", () => Promise.resolve(2))).toBe(2)
  })

  it("a cyclic object with a function inside is rejected, naming the path", async () => {
    const cache = ctx().cache()
    const value: Record<string, unknown> = {}
    value.self = value
    value.inner = { fn: () => 1 }
    await expect(cache.set("cyc", value)).rejects.toThrow(/value\.inner\.fn/)
    expect(await cache.get("cyc")).toBeUndefined()
  })

  it("a proxy that structured clone refuses is rejected and nothing is written", async () => {
    const cache = ctx().cache()
    const proxy = new Proxy({ a: 1 }, {})
    await expect(cache.set("p", proxy)).rejects.toBeInstanceOf(NotStorableError)
    await expect(cache.setMany({ ok: 1, p: proxy })).rejects.toBeInstanceOf(NotStorableError)
    expect(await cache.getMany(["p", "ok"])).toEqual({})
  })

  it("a proxy nested in a plain object or array is rejected too", async () => {
    const cache = ctx().cache()
    const inner = new Proxy({ a: 1 }, {})
    for (const value of [{ ok: 1, inner }, [1, [inner]], { list: [{ deep: inner }] }]) {
      await expect(cache.set("p", value)).rejects.toBeInstanceOf(NotStorableError)
      await expect(cache.setMany({ ok: 1, p: value })).rejects.toBeInstanceOf(NotStorableError)
    }
    expect(await cache.getMany(["p", "ok"])).toEqual({})
  })

  it("a plain object's getters are stored as the values they return", async () => {
    const cache = ctx().cache()
    let reads = 0
    const value = {
      get n() {
        reads++
        return { at: reads }
      },
    }
    await cache.set("g", value)
    const back = (await cache.get("g")) as { n: { at: number } }
    expect(Object.getOwnPropertyDescriptor(back, "n")).toMatchObject({ value: { at: expect.any(Number) } })
    expect(back.n.at).toBeGreaterThan(0)
  })
}
