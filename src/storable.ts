import { BROWSER_FILE } from "./build-target.js"
import { NotStorableError } from "./errors.js"

// Built-in types whose instances structured clone copies faithfully, and which hold no nested values,
// beside the typed arrays and DataView (ArrayBuffer views: see isLeaf).
const leafTypes = ["ArrayBuffer", "Date", "RegExp", "Boolean", "Number", "String", "BigInt", "Blob", "File"]

/**
 * Whether `node`, of prototype `proto`, whose constructor is named `name`, is an instance of a
 * built-in leaf type (of leafTypes, or an ArrayBuffer view): `proto` must be the global
 * constructor's own prototype, so that an instance of a subclass is none.
 */
function isLeaf(node: object, proto: object, name: unknown): boolean {
  const global = (globalThis as Record<string, unknown>)[name as string] as { prototype?: unknown } | undefined
  return global?.prototype === proto && (ArrayBuffer.isView(node) || leafTypes.includes(name as string))
}

// The copies made by snapshot that hold a Blob or File somewhere.
const blobHolders = new WeakSet<object>()

/** Whether `value`, a copy made by {@link snapshot}, holds a `Blob` or `File` somewhere. */
export const holdsBlob = (value: unknown): boolean => blobHolders.has(value as object) // false for a primitive

// A path segment: a property name, an array index, or a ready-made piece (`.<key 0>`, `.get("k")`).
type Segment = string | number | { readonly text: string }

function pathOf(segments: readonly Segment[]): string {
  let path = "value"
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`
    else if (typeof segment === "object") path += segment.text
    else path += /^[a-z_$][\w$]*$/i.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`
  }
  return path
}

/**
 * Throws unless `value` can be stored faithfully: structured clone must copy it without silently
 * dropping anything (a class, a function, a symbol). Cycles are fine; nested values are checked.
 * Proxies cannot be detected here: the store maps the browser's `DataCloneError` for those.
 *
 * @param key - the key the value is for, named in the error
 * @returns whether the value holds a `Blob` or `File`
 * @throws NotStorableError naming the key and the path of the first bad part
 */
export function assertStorable(key: string, value: unknown): boolean {
  let blob = false
  const seen = new Set<object>()
  // The path to the node being visited, turned into text only for an error: most values are fine.
  const segments: Segment[] = []
  const fail = (reason: string): NotStorableError => new NotStorableError(key, pathOf(segments), reason)
  const visitAt = (node: unknown, segment: Segment): void => {
    segments.push(segment)
    visit(node)
    segments.pop()
  }
  const visit = (node: unknown): void => {
    const type = typeof node
    if (type === "function" || type === "symbol") throw fail(`a ${type}`)
    // Only at the top: inside a value, undefined is data (structured clone keeps `{ a: undefined }`).
    if (type === "undefined" && !segments.length) throw fail("undefined (read as a miss)")
    if (typeof node !== "object" || node === null || seen.has(node)) return
    seen.add(node)
    const proto: object | null = Object.getPrototypeOf(node)
    const isArray = proto === Array.prototype && Array.isArray(node)
    if (proto === Object.prototype || proto === null || isArray) {
      if (Object.getOwnPropertySymbols(node).some((symbol) => Object.prototype.propertyIsEnumerable.call(node, symbol)))
        throw fail("an object with symbol keys (dropped)")
      for (const k of Object.keys(node)) {
        const child = (node as Record<string, unknown>)[k]
        // Storable primitives need no visit (nor a path segment): the common case, kept cheap.
        const type = typeof child
        if (type === "object" || type === "function" || type === "symbol") {
          visitAt(child, isArray && /^\d+$/.test(k) ? Number(k) : k)
        }
      }
      return
    }
    // The name of the constructor the prototype belongs to (isLeaf checks that it is the global's).
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name
    if (isLeaf(node, proto, name)) {
      // Blob and File: IndexedDB refuses them in WebKit's private and automated sessions (see holdsBlob).
      if (name === "Blob" || name === "File") blob = true
      return
    }
    if (node instanceof Map && proto === Map.prototype) {
      let i = 0
      for (const [k, v] of node) {
        visitAt(k, { text: `.<key ${i}>` })
        visitAt(v, { text: `.get(${typeof k === "string" ? JSON.stringify(k) : `<key ${i}>`})` })
        i++
      }
      return
    }
    if (node instanceof Set && proto === Set.prototype) {
      let i = 0
      for (const v of node) visitAt(v, { text: `.<item ${i++}>` })
      return
    }
    const what = typeof name === "string" && name ? `an instance of ${name}` : "an object with a custom prototype"
    throw fail(`${what} (only plain objects and built-ins keep their type)`)
  }
  visit(value)
  return blob
}

const notPlain = Symbol()

// Tells a proxy apart, where the runtime can (Node, Deno, Bun: `util.types.isProxy`); looked up on
// first use, so importing the module reads no global. `null` where it cannot (browsers).
let proxyCheck: ((value: object) => boolean) | null | undefined

function isProxyCheck(): ((value: object) => boolean) | null {
  if (proxyCheck === undefined) {
    const process = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process
    const util = process?.getBuiltinModule?.("node:util") as { types?: { isProxy?(v: unknown): boolean } } | undefined
    proxyCheck = util?.types?.isProxy ?? null
  }
  return proxyCheck
}

/**
 * Copies plain objects and arrays by hand (cycles, shared references, holes, extra array properties
 * and an own `__proto__` kept, as structured clone keeps them) and throws `notPlain` at anything else.
 * With `isProxy`, it also checks as it goes, throwing `notPlain` at what assertStorable must judge:
 * a proxy, symbol keys, and a child that is a function or a symbol (never in the browser file, which
 * has no such check: see snapshot).
 */
function copyPlain(node: unknown, copies: Map<object, unknown>, isProxy?: (value: object) => boolean): unknown {
  if (typeof node !== "object") {
    if (!BROWSER_FILE && isProxy && (typeof node === "function" || typeof node === "symbol")) throw notPlain
    return node
  }
  if (node === null) return node
  const done = copies.get(node)
  if (done !== undefined) return done
  if (!BROWSER_FILE && isProxy && (isProxy(node) || Object.getOwnPropertySymbols(node).length > 0)) throw notPlain
  const proto: unknown = Object.getPrototypeOf(node)
  let copy: Record<string, unknown>
  if (proto === Object.prototype) copy = {}
  else if (proto === Array.prototype && Array.isArray(node)) copy = new Array(node.length) as never
  else throw notPlain
  copies.set(node, copy)
  for (const key of Object.keys(node)) {
    const value = copyPlain((node as Record<string, unknown>)[key], copies, isProxy)
    if (key === "__proto__")
      Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true })
    else copy[key] = value
  }
  return copy
}

/**
 * Checks that `value` is storable and returns a copy taken now, so that changing the original after
 * the call, even before the write completes, never changes what is stored. Plain data is checked and
 * copied in one walk where proxies can be told apart (Node: 3–4× faster than structuredClone);
 * anything else goes through {@link assertStorable} and `structuredClone`.
 * @throws NotStorableError as {@link assertStorable}, and for what structured clone refuses (proxies)
 */
export function snapshot(key: string, value: unknown): unknown {
  // The browser file leaves the check out: no browser can tell a proxy apart.
  const isProxy = !BROWSER_FILE && typeof value === "object" && value !== null && isProxyCheck()
  if (isProxy) {
    try {
      return copyPlain(value, new Map(), isProxy)
    } catch (error) {
      if (error !== notPlain) throw error
    }
  }
  const blob = assertStorable(key, value)
  if (typeof value !== "object" || value === null) return value
  try {
    const copy = structuredClone(value) as object
    if (blob) blobHolders.add(copy)
    return copy
  } catch (error) {
    throw new NotStorableError(key, "value", "not cloneable (a proxy?)", { cause: error })
  }
}

/**
 * Copies a value that the cache stored earlier (a structured clone already, so no proxy, class
 * instance or getter): plain objects and arrays by hand, several times faster than
 * `structuredClone`, which copies anything else. The browser file, whose memory store is mostly the
 * fallback of a browser without IndexedDB, copies everything with `structuredClone`, as its
 * {@link snapshot} does: the same copy, in less code.
 */
export function copyStored(value: unknown): unknown {
  if (BROWSER_FILE) return structuredClone(value)
  if (typeof value !== "object" || value === null) return value
  try {
    return copyPlain(value, new Map())
  } catch (error) {
    if (error !== notPlain) throw error
    return structuredClone(value)
  }
}
