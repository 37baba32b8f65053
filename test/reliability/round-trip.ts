// Random values from fast-check: each one either comes back exactly as it was stored, or is refused
// with NotStorableError and nothing is written. Which one is decided beforehand by an oracle, so
// that a store cannot pass by refusing what it should keep.
import fc from "fast-check"
import { Cache, NotStorableError } from "../../src/index.js"
import { rawRecords, type StoreKind } from "./raw-storage.js"
import { difference, show } from "./same-value.js"

// Keys that an object-building implementation could turn into a prototype change.
const objectKey = fc.oneof(
  { arbitrary: fc.string({ maxLength: 6 }), weight: 8 },
  { arbitrary: fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "then"), weight: 1 },
)

/** Values of every kind fast-check makes: objects, arrays (sparse too), Map, Set, Date, typed arrays, boxed values, BigInt, null-prototype objects, -0, NaN… and undefined. */
export const anyValue = fc.anything({
  key: objectKey,
  maxDepth: 3,
  maxKeys: 5,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
})

/**
 * The documented rule, for what fast-check generates: everything is storable except a top-level
 * `undefined`; inside a value (an object property, an array item, a Map key or value, a Set item)
 * `undefined` is data.
 */
export const storable = (value: unknown): boolean => value !== undefined

export interface RoundTripFigures {
  values: number
  roundTripped: number
  refused: number
}

/**
 * The property for one store: `value` set under a key (and under another through setMany) reads
 * back the same through get and getMany, or, when the oracle says it is not storable, both writes
 * reject with NotStorableError and the raw storage is unchanged.
 */
export function roundTripProperty(kind: StoreKind, arbitrary: fc.Arbitrary<unknown>, figures: RoundTripFigures) {
  const name = `roundtrip-${crypto.randomUUID()}`
  const cache = new Cache({ name, store: kind, sweepInterval: null })
  const property = fc.asyncProperty(arbitrary, async (value) => {
    figures.values++
    await cache.set("guard", "present")
    const before = await rawRecords(kind, name)
    if (storable(value)) {
      await cache.set("one", value)
      await cache.setMany([["many", value]])
      const back = await cache.get("one")
      const { many } = await cache.getMany(["many"])
      const diff = difference(back, value, "get") ?? difference(many, value, "getMany")
      if (diff) throw new Error(`${show(value)} did not round-trip: ${diff}`)
      figures.roundTripped++
    } else {
      for (const write of [() => cache.set("one", value), () => cache.setMany({ many: value, other: 1 })]) {
        const error = await write().then(
          () => null,
          (e: unknown) => e,
        )
        if (!(error instanceof NotStorableError)) throw new Error(`${show(value)} was not refused: ${show(error)}`)
      }
      const diff = difference(await rawRecords(kind, name), before, "records")
      if (diff) throw new Error(`refusing ${show(value)} changed the storage: ${diff}`)
      figures.refused++
    }
    await cache.clear()
  })
  return { property, done: () => cache.clear().then(() => cache.disconnect()) }
}

/**
 * Runs the property on `kind` with `numRuns` values of fc.anything() and as many of fc.jsonValue(),
 * from `seed`, and returns the figures of both.
 */
export async function roundTripRuns(kind: StoreKind, numRuns: number, seed: number): Promise<RoundTripFigures> {
  const figures: RoundTripFigures = { values: 0, roundTripped: 0, refused: 0 }
  for (const arbitrary of [anyValue, fc.jsonValue()]) {
    const { property, done } = roundTripProperty(kind, arbitrary, figures)
    try {
      await fc.assert(property, { numRuns, seed })
    } finally {
      await done()
    }
  }
  return figures
}
