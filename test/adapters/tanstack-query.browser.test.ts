// The TanStack Query adapter with the real @tanstack/query-core and persister packages, in each
// engine: a whole client persisted and restored by a new client (as a reload would), Dates, Maps and
// undefined fields intact; and per-query persistence, restored through entries(), expiry honoured.
import { createAsyncStoragePersister } from "@tanstack/query-async-storage-persister"
import { QueryClient } from "@tanstack/query-core"
import {
  experimental_createQueryPersister,
  type PersistedQuery,
  persistQueryClientRestore,
  persistQueryClientSave,
} from "@tanstack/query-persist-client-core"
import { expect, it } from "vitest"
import { createQueryStorage, queryPersisterOptions } from "../../src/adapters/tanstack-query.js"
import { InvalidArgumentError } from "../../src/index.js"
import { openCaches } from "../browser/open-caches.js"

const open = openCaches({ clear: true })

const data = () => ({
  when: new Date(1_700_000_000_000),
  tags: new Map([["a", 1]]),
  optional: undefined,
  list: [1, undefined, 3],
})

it("a whole client persisted through createAsyncStoragePersister is restored by a new client, types intact", async () => {
  const name = `tanstack-${crypto.randomUUID()}`
  const first = new QueryClient()
  await first.fetchQuery({ queryKey: ["user", 1], queryFn: async () => data() })
  const persister = createAsyncStoragePersister({ ...queryPersisterOptions(open(name)), throttleTime: 0 })
  await persistQueryClientSave({ queryClient: first, persister })

  // A new page: a new cache object on the same name, a new client.
  const second = new QueryClient()
  const again = createAsyncStoragePersister({ ...queryPersisterOptions(open(name)), throttleTime: 0 })
  await persistQueryClientRestore({ queryClient: second, persister: again, maxAge: 60_000 })
  const restored = second.getQueryData<ReturnType<typeof data>>(["user", 1])
  expect(restored?.when).toBeInstanceOf(Date)
  expect(restored?.when.getTime()).toBe(1_700_000_000_000)
  expect(restored?.tags).toBeInstanceOf(Map)
  expect(restored?.tags.get("a")).toBe(1)
  expect(restored && Object.hasOwn(restored, "optional")).toBe(true)
  expect(restored?.list).toEqual([1, undefined, 3])
  first.clear()
  second.clear()
})

it("per-query persistence: restoreQueries through entries(), persisterGc drops what maxAge expired", async () => {
  const name = `tanstack-q-${crypto.randomUUID()}`
  const cache = open(name)
  const options = {
    storage: createQueryStorage<PersistedQuery>(cache),
    serialize: (query: PersistedQuery) => query,
    deserialize: (query: PersistedQuery) => query,
  }
  const persister = experimental_createQueryPersister({ ...options, maxAge: 60_000 })
  const client = new QueryClient({ defaultOptions: { queries: { persister: persister.persisterFn } } })
  await client.fetchQuery({ queryKey: ["post", 1], queryFn: async () => data() })
  await client.fetchQuery({ queryKey: ["post", 2], queryFn: async () => ({ title: "two" }) })
  await expect.poll(async () => (await cache.keys()).length).toBe(2)

  const restoredClient = new QueryClient()
  await persister.restoreQueries(restoredClient)
  expect(restoredClient.getQueryData<ReturnType<typeof data>>(["post", 1])?.when).toBeInstanceOf(Date)
  expect(restoredClient.getQueryData(["post", 2])).toEqual({ title: "two" })

  // A persister whose maxAge has passed for every stored query collects them all.
  const strict = experimental_createQueryPersister({ ...options, maxAge: 1 })
  await new Promise((resolve) => setTimeout(resolve, 5))
  await strict.persisterGc()
  expect(await cache.keys()).toEqual([])
  client.clear()
  restoredClient.clear()
})

it("the storage's own timeout is the cache's expiry, and an unknown option is refused", async () => {
  const cache = open(`tanstack-t-${crypto.randomUUID()}`)
  const storage = createQueryStorage(cache, { timeout: 30 })
  await storage.setItem("k", { a: 1 })
  expect(await storage.getItem("k")).toEqual({ a: 1 })
  expect((await cache.getEntry("k"))?.expiresAt).toBeGreaterThan(Date.now() + 29_000)
  expect(await storage.getItem("missing")).toBeNull()
  await storage.removeItem("k")
  expect(await storage.entries()).toEqual([])
  expect(() => createQueryStorage(cache, { ttl: 30 } as never)).toThrow(InvalidArgumentError)
  expect(() => createQueryStorage(cache, { timeout: 0 })).toThrow(/options\.timeout/)
})
