// Exact equality of stored values, stricter than toEqual where a cache could go wrong: numbers by
// Object.is (-0 is not 0), types by their internal tag, holes in arrays, Map and Set order, and the
// shape of cycles. A null-prototype object may come back as a plain one (documented).

import { stringify } from "fast-check"

const tag = (value: object): string => Object.prototype.toString.call(value)

const boxedTags = new Set(["[object Number]", "[object String]", "[object Boolean]", "[object BigInt]"])

const isTypedView = (value: object): value is ArrayBufferView => ArrayBuffer.isView(value)

function bytes(view: ArrayBufferView | ArrayBuffer): Uint8Array {
  return view instanceof ArrayBuffer
    ? new Uint8Array(view)
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}

/**
 * Where `actual` first differs from `expected` (a path such as `value.a[2]` and what differs), or
 * `null` when they are the same value.
 */
export function difference(actual: unknown, expected: unknown, path = "value"): string | null {
  const pairs = new Map<object, object>()
  const visit = (a: unknown, e: unknown, at: string): string | null => {
    if (typeof e !== "object" || e === null) {
      return Object.is(a, e) ? null : `${at}: got ${show(a)}, expected ${show(e)}`
    }
    if (typeof a !== "object" || a === null) return `${at}: got ${show(a)}, expected an object`
    const seen = pairs.get(e)
    if (seen) return seen === a ? null : `${at}: the cycle does not point to the same object`
    pairs.set(e, a)
    if (tag(a) !== tag(e)) return `${at}: got ${tag(a)}, expected ${tag(e)}`
    const expectedProto = Object.getPrototypeOf(e)
    const actualProto = Object.getPrototypeOf(a)
    if (actualProto !== expectedProto && !(expectedProto === null && actualProto === Object.prototype)) {
      return `${at}: the prototype differs`
    }
    if (e instanceof Date) return Object.is((a as Date).getTime(), e.getTime()) ? null : `${at}: another time`
    if (e instanceof RegExp) {
      const r = a as RegExp
      return r.source === e.source && r.flags === e.flags ? null : `${at}: another pattern`
    }
    if (e instanceof ArrayBuffer || isTypedView(e)) {
      const x = bytes(a as ArrayBuffer)
      const y = bytes(e)
      if (x.length !== y.length) return `${at}: ${x.length} bytes, expected ${y.length}`
      return x.every((b, i) => b === y[i]) ? null : `${at}: other bytes`
    }
    if (boxedTags.has(tag(e))) {
      const x = (a as { valueOf(): unknown }).valueOf()
      const y = (e as { valueOf(): unknown }).valueOf()
      if (!Object.is(x, y)) return `${at}: boxed ${show(x)}, expected boxed ${show(y)}`
    }
    if (e instanceof Map) {
      const x = [...(a as Map<unknown, unknown>)]
      const y = [...e]
      if (x.length !== y.length) return `${at}: ${x.length} Map entries, expected ${y.length}`
      for (const [i, [k, v]] of y.entries()) {
        const [ak, av] = x[i] as [unknown, unknown]
        const found = visit(ak, k, `${at}.<key ${i}>`) ?? visit(av, v, `${at}.<value ${i}>`)
        if (found) return found
      }
      return null
    }
    if (e instanceof Set) {
      const x = [...(a as Set<unknown>)]
      const y = [...e]
      if (x.length !== y.length) return `${at}: ${x.length} Set items, expected ${y.length}`
      for (const [i, v] of y.entries()) {
        const found = visit(x[i], v, `${at}.<item ${i}>`)
        if (found) return found
      }
      return null
    }
    if (Array.isArray(e) && (a as unknown[]).length !== e.length) {
      return `${at}: length ${(a as unknown[]).length}, expected ${e.length}`
    }
    const keysA = Object.keys(a)
    const keysE = Object.keys(e)
    if (keysA.join("\u0000") !== keysE.join("\u0000")) {
      return `${at}: keys ${JSON.stringify(keysA)}, expected ${JSON.stringify(keysE)}`
    }
    for (const k of keysE) {
      const found = visit(
        (a as Record<string, unknown>)[k],
        (e as Record<string, unknown>)[k],
        `${at}[${JSON.stringify(k)}]`,
      )
      if (found) return found
    }
    return null
  }
  return visit(actual, expected, path)
}

/** A value as fast-check prints it (undefined, -0, Map, Set, BigInt and Date included). */
export function show(value: unknown): string {
  return stringify(value)
}
