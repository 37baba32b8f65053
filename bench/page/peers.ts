// The IndexedDB libraries compared in Chromium, each behind the same Peer face. Every peer opens a
// database of its own, named after the run, so that no peer reads another's data or leftovers.
import Dexie, { type Table } from "dexie"
import { type IDBPDatabase, openDB } from "idb"
import * as keyval from "idb-keyval"
import localforage from "localforage"
import { withMemoryFront } from "../../src/front/index.ts"
import { Cache, createIndexedDBStore, type IndexedDBStoreOptions } from "../../src/index.ts"
import { BENCH_FRONT, boundedWrites, cachePeer, memoryFront, staleReads } from "../shared/cache-peer.ts"
import type { Peer } from "../shared/workloads.ts"
import { coalescing } from "./coalescing.ts"

const STORE = "kv"

type Durability = NonNullable<IndexedDBStoreOptions["durability"]>

/** isocache as users get it (relaxed durability); with `durability`, the same with that hint instead. */
function isocache(durability?: Durability): Peer {
  return cachePeer(
    durability ? `isocache, ${durability}` : "isocache",
    (id) => {
      const name = `bench-${durability ?? "relaxed"}-${id}`
      return new Cache({ name, store: durability ? createIndexedDBStore({ durability }) : "indexeddb" })
    },
    // The durability hint matters where each write commits on its own; one run of each is enough.
    durability ? { only: ["set", "concurrentSet"] } : {},
  )
}

function idbKeyval(): Peer {
  let store: keyval.UseStore | undefined
  return {
    name: "idb-keyval",
    async open(id) {
      store = keyval.createStore(`idb-keyval-${id}`, STORE)
    },
    // idb-keyval has no close: its connection stays open, harmless since every run uses new names.
    async close() {},
    get: (key) => keyval.get(key, store),
    set: (key, value) => keyval.set(key, value, store),
    getMany: async (keys) => (await keyval.getMany(keys, store)).filter((v) => v !== undefined).length,
    setMany: (entries) => keyval.setMany(entries, store),
    incr: (key) => keyval.update<number>(key, (v) => (v ?? 0) + 1, store),
    notes: { incr: "update(): get+put in one rw tx" },
  }
}

function localForage(): Peer {
  let lf: LocalForage | null = null
  const l = (): LocalForage => lf as LocalForage
  return {
    name: "localforage",
    async open(id) {
      lf = localforage.createInstance({ name: `localforage-${id}`, storeName: STORE, driver: localforage.INDEXEDDB })
      await lf.ready()
    },
    async close() {},
    get: (key) => l().getItem(key),
    set: (key, value) => l().setItem(key, value),
    // localforage has no read-modify-write: a get then a set, in two transactions.
    incr: async (key) => l().setItem(key, ((await l().getItem<number>(key)) ?? 0) + 1),
    notes: { incr: "get + set: NOT atomic" },
  }
}

function dexie(): Peer {
  let db: Dexie | null = null
  let table: Table<unknown, string> | null = null
  const t = (): Table<unknown, string> => table as Table<unknown, string>
  return {
    name: "dexie",
    async open(id) {
      db = new Dexie(`dexie-${id}`)
      db.version(1).stores({ [STORE]: "" }) // "" = out-of-line keys, like the other peers
      await db.open()
      table = db.table(STORE)
    },
    async close() {
      db?.close()
    },
    get: (key) => t().get(key),
    set: (key, value) => t().put(value, key),
    getMany: async (keys) => (await t().bulkGet(keys)).filter((v) => v !== undefined).length,
    setMany: (entries) =>
      t().bulkPut(
        entries.map(([, value]) => value),
        entries.map(([key]) => key),
      ),
    // table.update() only patches object properties; a number needs get + put in one rw transaction.
    incr: (key) =>
      (db as Dexie).transaction("rw", t(), async () => {
        await t().put(((await t().get(key)) as number) + 1, key)
      }),
    notes: { incr: "transaction('rw'): get+put" },
  }
}

async function openRaw(name: string): Promise<IDBPDatabase> {
  return openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore(STORE)
    },
  })
}

/** Raw idb, the plain way: every operation is a transaction of its own. */
function idbPerOp(): Peer {
  let db: IDBPDatabase | null = null
  const d = (): IDBPDatabase => db as IDBPDatabase
  return {
    name: "idb, 1 tx/op",
    async open(id) {
      db = await openRaw(`idb-per-op-${id}`)
    },
    async close() {
      db?.close()
    },
    get: (key) => d().get(STORE, key),
    set: (key, value) => d().put(STORE, value, key),
    // Deliberately no getMany/setMany: Promise.all of single-operation transactions.
    async incr(key) {
      const tx = d().transaction(STORE, "readwrite")
      const value = ((await tx.store.get(key)) as number) + 1
      await Promise.all([tx.store.put(value, key), tx.done])
    },
    notes: { incr: "get+put in one rw tx" },
  }
}

/**
 * Raw idb, the practical ceiling: all the operations issued together share one transaction. Only
 * the concurrent and batch workloads are run; a sequential caller waits for each operation, so there
 * is nothing to batch (see the 1 tx/op row).
 */
function idbBatched(): Peer {
  let db: IDBPDatabase | null = null
  let ops: ReturnType<typeof coalescing> | null = null
  const d = (): IDBPDatabase => db as IDBPDatabase
  const o = (): ReturnType<typeof coalescing> => ops as ReturnType<typeof coalescing>
  return {
    name: "idb, 1 tx/batch",
    async open(id) {
      db = await openRaw(`idb-batched-${id}`)
      ops = coalescing(db, STORE)
    },
    async close() {
      db?.close()
    },
    get: (key) => o().get(key),
    set: (key, value) => o().set(key, value),
    async getMany(keys) {
      const tx = d().transaction(STORE, "readonly")
      const [values] = await Promise.all([Promise.all(keys.map((key) => tx.store.get(key))), tx.done])
      return values.filter((v) => v !== undefined).length
    },
    async setMany(entries) {
      const tx = d().transaction(STORE, "readwrite")
      await Promise.all([...entries.map(([key, value]) => tx.store.put(value, key)), tx.done])
    },
    only: ["concurrentGet", "concurrentSet", "getMany", "setMany", "mixed"],
    notes: { mixed: "ops issued in one tick share a tx" },
  }
}

// Settles with a request's result, or with a transaction's end: idb-keyval's own promisifyRequest.
const settled = <T>(request: IDBRequest<T> | IDBTransaction): Promise<T> =>
  new Promise((resolve, reject) => {
    const target = request as IDBRequest<T> & IDBTransaction
    target.oncomplete = target.onsuccess = () => resolve(target.result)
    target.onabort = target.onerror = () => reject(target.error)
  })

/**
 * idb-keyval's code, line for line (bare requests, one transaction per call, default durability, no
 * commit()), on isocache's layout: records `{ value }` under the compound key `["", key]` in a store with
 * the `expiresAt` index. Next to idb-keyval, it shows what that layout costs by itself; next to
 * isocache, what isocache's own code costs on top of it.
 */
function bareSameLayout(): Peer {
  let db: IDBDatabase | null = null
  const store = (mode: IDBTransactionMode): IDBObjectStore =>
    (db as IDBDatabase).transaction(STORE, mode).objectStore(STORE)
  return {
    name: "idb-keyval's code, isocache's layout",
    async open(id) {
      const request = indexedDB.open(`bare-layout-${id}`, 1)
      request.onupgradeneeded = () => request.result.createObjectStore(STORE).createIndex("expiresAt", "expiresAt")
      db = await settled(request)
    },
    async close() {
      db?.close()
    },
    get: async (key) => ((await settled(store("readonly").get(["", key]))) as { value: unknown } | undefined)?.value,
    async getMany(keys) {
      const s = store("readonly")
      const records = await Promise.all(keys.map((key) => settled(s.get(["", key]))))
      return records.filter((record) => record !== undefined).length
    },
    async setMany(entries) {
      const s = store("readwrite")
      for (const [key, value] of entries) s.put({ value }, ["", key])
      await settled(s.transaction)
    },
    async set(key, value) {
      const s = store("readwrite")
      s.put({ value }, ["", key])
      await settled(s.transaction)
    },
    only: ["set", "get", "getMany", "setMany"],
  }
}

/** Every peer, isocache first (the reference of the ratios). */
export const browserPeers: Record<string, () => Peer> = {
  isocache: () => isocache(),
  "idb-keyval": idbKeyval,
  localforage: localForage,
  dexie,
  "idb, 1 tx/op": idbPerOp,
  "idb, 1 tx/batch": idbBatched,
  "idb-keyval's code, isocache's layout": bareSameLayout,
  // The durability hints, measured against isocache's own choice (relaxed).
  "isocache, default": () => isocache("default"),
  "isocache, strict": () => isocache("strict"),
  // Serving stale entries, measured against isocache's own get.
  "isocache, stale getOrSet": () =>
    staleReads("isocache, stale getOrSet", (id) => new Cache({ name: `bench-stale-${id}`, store: "indexeddb" })),
  "isocache, at maxEntries": () =>
    boundedWrites(
      "isocache, at maxEntries",
      (id, maxEntries) => new Cache({ name: `bench-${id}`, store: "indexeddb", maxEntries }),
    ),
  "isocache, memory front": () =>
    memoryFront(
      "isocache, memory front",
      (id) =>
        new Cache({
          name: `bench-front-${id}`,
          store: withMemoryFront(createIndexedDBStore(), { maxEntries: BENCH_FRONT }),
        }),
    ),
  // The same, sharing deep-frozen values instead of copying each one read.
  "isocache, memory front, frozen": () =>
    memoryFront(
      "isocache, memory front, frozen",
      (id) =>
        new Cache({
          name: `bench-frozen-${id}`,
          store: withMemoryFront(createIndexedDBStore(), { maxEntries: BENCH_FRONT, frozen: true }),
        }),
      true,
    ),
}
