// Isolation and safety, for every store: names never see each other's entries, clear() touches only
// its own name, keys, versions and names such as "__proto__" cannot pollute any prototype, and
// stored data is never evaluated as code.
import { describe, expect, it } from "vitest"
import { Cache } from "../../src/index.js"
import { rawRecords, type StoreKind } from "./raw-storage.js"
import { difference } from "./same-value.js"

/** Names that a string-joining or object-indexing implementation would confuse. */
const namesAlike = ["iso", "iso:", "iso:a", "iso/a", "__proto__", "constructor", "toString", ""] as const

/** Keys and versions with a meaning on every JavaScript object. */
export const dangerousKeys = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "__defineGetter__",
  "then",
] as const

/** Strings that do harm if anything evaluates them (as script, template or HTML). */
export const codeStrings = [
  "alert(1)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a template literal is the point
  "${process.exit()}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: as above
  "`${globalThis.__pwned = 1}`",
  "globalThis.__pwned = 1",
  "constructor.constructor('globalThis.__pwned = 1')()",
  "(() => { globalThis.__pwned = 1 })()",
  "</script><script>globalThis.__pwned = 1</script>",
  '"); globalThis.__pwned = 1; ("',
  "__proto__.polluted = 1",
] as const

// A stored "then" must stay data: it must never turn a value read back into a thenable.
// biome-ignore lint/suspicious/noThenProperty: the property is the point of the case
const withThen = (text: string): object => ({ text, then: text })

const prototypes: Array<[string, object]> = [
  ["Object.prototype", Object.prototype],
  ["Array.prototype", Array.prototype],
  ["Function.prototype", Function.prototype],
  ["String.prototype", String.prototype],
  ["Map.prototype", Map.prototype],
  ["Promise.prototype", Promise.prototype],
]

/** Every own property of the built-in prototypes, with its descriptor: any pollution changes it. */
export function prototypeSnapshot(): Map<string, PropertyDescriptor | undefined> {
  const snapshot = new Map<string, PropertyDescriptor | undefined>()
  for (const [label, proto] of prototypes) {
    for (const key of Reflect.ownKeys(proto)) {
      snapshot.set(`${label}.${String(key)}`, Object.getOwnPropertyDescriptor(proto, key))
    }
  }
  return snapshot
}

function pollution(before: Map<string, PropertyDescriptor | undefined>): string[] {
  const after = prototypeSnapshot()
  const changed: string[] = []
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const [a, b] = [before.get(key), after.get(key)]
    if (!a || !b || a.value !== b.value || a.get !== b.get || a.set !== b.set || a.writable !== b.writable) {
      changed.push(key)
    }
  }
  const probe = {} as Record<string, unknown>
  if (probe.polluted !== undefined) changed.push("({}).polluted")
  if ((globalThis as { __pwned?: unknown }).__pwned !== undefined) changed.push("globalThis.__pwned")
  return changed
}

export interface IsolationFigures {
  names: number
  dangerousCalls: number
  codeStrings: number
}

export function describeIsolation(label: string, kind: StoreKind, figures: IsolationFigures): void {
  const before = prototypeSnapshot()
  const open: Cache[] = []
  const cache = (name: string, options: { version?: string } = {}): Cache => {
    const c = new Cache({ name, store: kind, sweepInterval: null, ...options })
    open.push(c)
    return c
  }
  const done = async (): Promise<void> => {
    await Promise.all(open.splice(0).map((c) => c.clear().then(() => c.disconnect())))
  }

  describe(`isolation and safety: ${label}`, () => {
    it("caches of look-alike names never see each other's entries; clear() and deleteMany touch only their own", async () => {
      const run = crypto.randomUUID()
      // With "" the bare run id; a name that is another's name plus a suffix; and names that are
      // exactly those of Object.prototype's properties (emptied first: they are shared by runs).
      const names = [...namesAlike.map((n) => `${run}${n}`), `${run}iso:a:b`, "__proto__", "constructor"]
      await Promise.all(["__proto__", "constructor"].map((name) => cache(name).clear()))
      figures.names = names.length
      try {
        const caches = names.map((name) => cache(name))
        await Promise.all(
          caches.map((c, i) =>
            Promise.all([
              c.setMany({ shared: i, ["__proto__"]: { i }, "": `empty ${i}` }),
              c.set("shared", `v${i}`, { version: "v" }),
              c.set(`only-${i}`, i, { timeout: 60 }),
            ]),
          ),
        )
        for (const [i, c] of caches.entries()) {
          const keys = ["shared", "__proto__", "", ...names.map((_, j) => `only-${j}`)]
          expect(await c.getMany(keys)).toEqual(
            Object.defineProperty({ shared: i, "": `empty ${i}`, [`only-${i}`]: i }, "__proto__", {
              value: { i },
              enumerable: true,
              writable: true,
              configurable: true,
            }),
          )
          expect(await c.get("shared", undefined, { version: "v" })).toBe(`v${i}`)
          expect((await rawRecords(kind, names[i] as string)).length).toBe(5)
        }
        const snapshots = await Promise.all(names.map((name) => rawRecords(kind, name)))
        // Clear one, delete from another: every other name keeps its records exactly.
        await caches[0]?.clear()
        expect(await caches[1]?.deleteMany(["shared", "__proto__", "only-0", "only-1"])).toBe(3)
        expect(await rawRecords(kind, names[0] as string)).toEqual([])
        expect((await rawRecords(kind, names[1] as string)).length).toBe(2)
        for (const [i, name] of names.entries()) {
          if (i < 2) continue
          expect(difference(await rawRecords(kind, name), snapshots[i]), name).toBeNull()
        }
      } finally {
        await done()
      }
    })

    it("keys and versions such as __proto__ and constructor behave like any other, in every method", async () => {
      try {
        const c = cache(`danger-${crypto.randomUUID()}`)
        const hostile = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}')
        for (const key of dangerousKeys) {
          for (const version of [undefined, ...dangerousKeys]) {
            const opts = version === undefined ? {} : { version }
            await c.set(key, hostile, opts)
            expect(difference(await c.get(key, undefined, opts), hostile)).toBeNull()
            expect(await c.add(key, 1, opts)).toBe(false)
            const many = await c.getMany([key, "absent"], opts)
            expect(Object.getPrototypeOf(many)).toBe(Object.prototype)
            expect(Object.keys(many)).toEqual([key])
            expect(difference(Object.getOwnPropertyDescriptor(many, key)?.value, hostile)).toBeNull()
            const pair = key === "__proto__" ? "" : `${JSON.stringify(key)}: 5, `
            await c.setMany(JSON.parse(`{${pair}"__proto__": ${key === "__proto__" ? 5 : 6}}`), opts)
            expect(await c.incr(key, 1, opts)).toBe(6)
            expect(await c.touch(key, 60, opts)).toBe(true)
            expect(await c.getOrSet(key, () => 0, opts)).toBe(6)
            expect(await c.deleteMany([key, "__proto__"], opts)).toBe(key === "__proto__" ? 1 : 2)
            expect(await c.getOrSet(key, { polluted: 2 }, opts)).toEqual({ polluted: 2 })
            expect(await c.delete(key, opts)).toBe(true)
            figures.dangerousCalls += 12
          }
        }
        // A Map holding them, and the cache-wide default version.
        const versioned = cache(`danger-${crypto.randomUUID()}`, { version: "__proto__" })
        await versioned.setMany(new Map(dangerousKeys.map((k) => [k, { [k]: k }])))
        const back = await versioned.getMany(dangerousKeys)
        expect(Object.keys(back).sort()).toEqual([...dangerousKeys].sort())
        for (const k of dangerousKeys) expect(Object.getOwnPropertyDescriptor(back, k)?.value).toEqual({ [k]: k })
        figures.dangerousCalls += 2
        expect(pollution(before)).toEqual([])
      } finally {
        await done()
      }
    })

    it("stored strings that look like code are data: never evaluated, as values, keys, versions or names", async () => {
      try {
        for (const text of codeStrings) {
          const c = cache(text, { version: text })
          await c.set(text, text)
          await c.setMany({ [text]: withThen(text) }, { version: "other" })
          await c.getOrSet(`${text}:lazy`, text)
          expect(await c.get(text)).toBe(text)
          expect(await c.getMany([text], { version: "other" })).toEqual({ [text]: withThen(text) })
          expect(await c.get(`${text}:lazy`)).toBe(text)
          expect(await c.add(text, "again")).toBe(false)
          figures.codeStrings++
        }
        expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined()
      } finally {
        await done()
      }
    })

    it("after everything, no built-in prototype has changed", () => {
      expect(pollution(before)).toEqual([])
    })
  })
}
