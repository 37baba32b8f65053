import { NotStorableError } from "./errors.js"

const typedArrayNames = [
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float16Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
] as const

// Prototypes whose instances structured clone copies faithfully, and which hold no nested values.
// Built on first use, so importing the module reads no global.
let leafPrototypes: Set<object> | undefined

function isLeafPrototype(proto: object): boolean {
  if (!leafPrototypes) {
    const g = globalThis as unknown as Record<string, { prototype?: object } | undefined>
    const names = [
      ...typedArrayNames,
      "ArrayBuffer",
      "DataView",
      "Date",
      "RegExp",
      "Boolean",
      "Number",
      "String",
      "BigInt",
      "Blob",
      "File",
    ]
    leafPrototypes = new Set(names.flatMap((name) => (g[name]?.prototype ? [g[name].prototype] : [])))
  }
  return leafPrototypes.has(proto)
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
}

/**
 * Throws unless `value` can be stored faithfully: structured clone must copy it without silently
 * dropping anything (a class, a function, a symbol). Cycles are fine; nested values are checked.
 * Proxies cannot be detected here: the store maps the browser's `DataCloneError` for those.
 *
 * @param key - the key the value is for, named in the error
 * @throws NotStorableError naming the key and the path of the first bad part
 */
export function assertStorable(key: string, value: unknown): void {
  const seen = new Set<object>()
  const visit = (node: unknown, path: string): void => {
    switch (typeof node) {
      case "undefined":
        throw new NotStorableError(key, path, "undefined (it could not be told apart from a miss)")
      case "function":
        throw new NotStorableError(key, path, "a function")
      case "symbol":
        throw new NotStorableError(key, path, "a symbol")
      case "object":
        break
      default:
        return
    }
    if (node === null || seen.has(node)) return
    seen.add(node)
    const proto: object | null = Object.getPrototypeOf(node)
    if (proto !== null && isLeafPrototype(proto)) return
    if (node instanceof Map && proto === Map.prototype) {
      let i = 0
      for (const [k, v] of node) {
        visit(k, `${path}.<key ${i}>`)
        visit(v, `${path}.get(${typeof k === "string" ? JSON.stringify(k) : `<key ${i}>`})`)
        i++
      }
      return
    }
    if (node instanceof Set && proto === Set.prototype) {
      let i = 0
      for (const v of node) visit(v, `${path}.<item ${i++}>`)
      return
    }
    const isArray = Array.isArray(node) && proto === Array.prototype
    if (!isArray && proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name
      const what = typeof name === "string" && name ? `an instance of ${name}` : "an object with a custom prototype"
      throw new NotStorableError(key, path, `${what} (only plain objects and built-in types keep their type)`)
    }
    if (Object.getOwnPropertySymbols(node).some((s) => Object.prototype.propertyIsEnumerable.call(node, s))) {
      throw new NotStorableError(key, path, "an object with symbol keys (they would be dropped)")
    }
    for (const k of Object.keys(node)) {
      visit((node as Record<string, unknown>)[k], isArray && /^\d+$/.test(k) ? `${path}[${k}]` : childPath(path, k))
    }
  }
  visit(value, "value")
}

/**
 * Checks that `value` is storable and returns a copy taken now, so that changing the original after
 * the call, even before the write completes, never changes what is stored.
 * @throws NotStorableError as {@link assertStorable}, and for what structured clone refuses (proxies)
 */
export function snapshot(key: string, value: unknown): unknown {
  assertStorable(key, value)
  if (typeof value !== "object" || value === null) return value
  try {
    return structuredClone(value)
  } catch (error) {
    throw new NotStorableError(key, "value", "not cloneable by the structured clone algorithm (a proxy?)", {
      cause: error,
    })
  }
}
