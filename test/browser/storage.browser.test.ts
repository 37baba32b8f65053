import { expect, it } from "vitest"
import { Cache } from "../../src/index.js"
import { persistStorage, storageEstimate } from "../../src/storage.js"

const fresh = (store: "indexeddb" | "memory"): Cache =>
  new Cache({ name: `storage-${crypto.randomUUID()}`, store, sweepInterval: null })

it("storageEstimate(cache) reads the origin's usage and quota, and persistStorage(cache) asks for persistent storage", async () => {
  const cache = fresh("indexeddb")
  try {
    await cache.set("k", "x".repeat(10_000))
    const estimate = await storageEstimate(cache)
    if (typeof navigator.storage?.estimate !== "function") {
      // Said, not skipped silently: this engine has no StorageManager.estimate (Safari before 17).
      expect(estimate, "navigator.storage.estimate is missing here").toBeNull()
    } else {
      expect(estimate).toEqual({ usage: expect.any(Number), quota: expect.any(Number), persisted: expect.any(Boolean) })
      expect(estimate?.quota).toBeGreaterThan(0)
      expect(estimate?.usage).toBeGreaterThanOrEqual(0)
    }
    const persisted = await persistStorage(cache)
    expect(typeof persisted).toBe("boolean")
    if (typeof navigator.storage?.persisted === "function") expect(persisted).toBe(await navigator.storage.persisted())
  } finally {
    await cache.disconnect()
  }
})

it("a cache on the memory store has no browser storage: persistStorage is false, storageEstimate null", async () => {
  const cache = fresh("memory")
  expect(await persistStorage(cache)).toBe(false)
  expect(await storageEstimate(cache)).toBeNull()
  await cache.disconnect()
})
