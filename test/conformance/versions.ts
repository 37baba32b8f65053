import { expect, it } from "vitest"
import type { Context } from "./harness.js"

export function versionCases(ctx: () => Context): void {
  it("a version's identity is its string form: 1 and '1' are one version", async () => {
    const cache = ctx().cache()
    await cache.set("k", "one", { version: 1 })
    expect(await cache.get("k", undefined, { version: "1" })).toBe("one")
    expect(await cache.delete("k", { version: "1" })).toBe(true)
  })

  it("versions are isolated from each other and from the unversioned space", async () => {
    const cache = ctx().cache()
    await cache.set("k", "none")
    await cache.set("k", "v1", { version: 1 })
    await cache.set("k", "v2", { version: 2 })
    expect(await cache.get("k")).toBe("none")
    expect(await cache.get("k", undefined, { version: 1 })).toBe("v1")
    expect(await cache.get("k", undefined, { version: 2 })).toBe("v2")
    expect(await cache.get("k", undefined, { version: 3 })).toBeUndefined()
    expect(await cache.delete("k", { version: 1 })).toBe(true)
    expect(await cache.get("k")).toBe("none")
    expect(await cache.get("k", undefined, { version: 2 })).toBe("v2")
  })

  it("an omitted version is the cache default; null is the unversioned space", async () => {
    const c = ctx()
    const versioned = c.cache({ version: 7 })
    const plain = c.cache({ name: versioned.name })
    expect(versioned.version).toBe("7")
    expect(plain.version).toBeNull()
    await versioned.set("k", "seven")
    await plain.set("k", "plain")
    expect(await versioned.get("k")).toBe("seven")
    expect(await plain.get("k", undefined, { version: "7" })).toBe("seven")
    expect(await plain.get("k")).toBe("plain")
    expect(await versioned.get("k", undefined, { version: null })).toBe("plain")
    expect(await versioned.get("k", undefined, { version: 8 })).toBeUndefined()
    expect(await versioned.get("k", undefined, { version: undefined })).toBe("seven")
  })

  it("every method takes the version option", async () => {
    const cache = ctx().cache()
    const v = { version: "v" }
    await cache.set("n", 1, v)
    expect(await cache.add("n", 9, v)).toBe(false)
    expect(await cache.incr("n", 1, v)).toBe(2)
    expect(await cache.decr("n", 1, v)).toBe(1)
    expect(await cache.touch("n", 5, v)).toBe(true)
    expect(await cache.getOrSet("n", 9, v)).toBe(1)
    expect(await cache.getMany(["n"], v)).toEqual({ n: 1 })
    await cache.setMany({ m: 2 }, v)
    expect(await cache.deleteMany(["m"], v)).toBe(1)
    expect(await cache.delete("n", v)).toBe(true)
    expect(await cache.getMany(["n", "m"])).toEqual({})
  })

  it("key and version never collide: ('a', 'b:c') and ('a:b', 'c') are two entries", async () => {
    const cache = ctx().cache()
    await cache.set("b:c", 1, { version: "a" })
    await cache.set("c", 2, { version: "a:b" })
    await cache.set("a:b:c", 3)
    await cache.set('["a","b"]', 4)
    expect(await cache.get("b:c", undefined, { version: "a" })).toBe(1)
    expect(await cache.get("c", undefined, { version: "a:b" })).toBe(2)
    expect(await cache.get("a:b:c")).toBe(3)
    expect(await cache.get("b")).toBeUndefined()
    expect(await cache.get('["a","b"]')).toBe(4)
  })

  it("keys like __proto__, constructor and hasOwnProperty behave like any other key", async () => {
    const cache = ctx().cache()
    const keys = ["__proto__", "constructor", "hasOwnProperty", "toString", "prototype"]
    await cache.setMany(keys.map((key, i) => [key, i] as const))
    for (const [i, key] of keys.entries()) expect(await cache.get(key)).toBe(i)
    const found = await cache.getMany(keys)
    expect(Object.keys(found).sort()).toEqual([...keys].sort())
    for (const [i, key] of keys.entries()) expect(Object.getOwnPropertyDescriptor(found, key)?.value).toBe(i)
    expect(Object.getPrototypeOf(found)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("__proto__ in a setMany object is stored as a key, not as a prototype", async () => {
    const cache = ctx().cache()
    await cache.setMany(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>)
    expect(await cache.get("__proto__")).toEqual({ polluted: true })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("versions like __proto__ are ordinary versions", async () => {
    const cache = ctx().cache()
    await cache.set("k", 1, { version: "__proto__" })
    expect(await cache.get("k", undefined, { version: "__proto__" })).toBe(1)
    expect(await cache.get("k")).toBeUndefined()
  })
}
