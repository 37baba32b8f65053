import { afterEach, describe } from "vitest"
import type { Cache } from "../../src/index.js"
import { basicCases } from "./basic.js"
import { batchCases, concurrencyCases } from "./batch.js"
import { changeCases } from "./changes.js"
import { counterCases } from "./counters.js"
import { errorCases } from "./errors.js"
import { expiryCases } from "./expiry.js"
import { type ConformanceTarget, type Context, makeContext } from "./harness.js"
import { lifecycleCases } from "./lifecycle.js"
import { listingCases } from "./listing.js"
import { namespaceCases } from "./namespaces.js"
import { staleCases } from "./stale.js"
import { strictCases } from "./strict.js"
import { valueCases } from "./values.js"
import { versionCases } from "./versions.js"

export type { ConformanceTarget } from "./harness.js"

/**
 * The one conformance suite, written from the spec (`shared/spec/cache-api.md`), run against every
 * store: each store's test file calls this in one line.
 */
export function describeConformance(label: string, target: ConformanceTarget): void {
  describe(`conformance: ${label}`, () => {
    const opened: Cache[] = []
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((cache) => cache.disconnect()))
    })
    // Each case gets a fresh context (clock, names) through this getter.
    const ctx = (): Context => makeContext(target, opened)
    describe("lifecycle", () => lifecycleCases(ctx))
    describe("basic methods", () => basicCases(ctx))
    describe("batches", () => batchCases(ctx))
    describe("concurrent calls", () => concurrencyCases(ctx))
    describe("keys and versions", () => versionCases(ctx))
    describe("stores and namespaces", () => namespaceCases(ctx))
    describe("listing", () => listingCases(ctx))
    describe("values", () => valueCases(ctx))
    describe("expiry", () => expiryCases(ctx))
    describe("counters", () => counterCases(ctx))
    describe("errors", () => errorCases(ctx))
    describe("strict arguments", () => strictCases(ctx))
    describe("stale entries", () => staleCases(ctx))
    describe("changes", () => changeCases(ctx))
  })
}
