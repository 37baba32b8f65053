import {
  InvalidArgumentError,
  removalTime,
  type Store,
  type StoreEntry,
  type StoreKey,
  type StoreNamespace,
} from "../../src/index.js"

/** A store on one `Map` per cache name: each method is one synchronous step, so each is atomic. */
export function createMapStore(): Store & { size(name: string): number } {
  const names = new Map<string, Map<string, readonly [StoreKey, StoreEntry]>>()
  // What leaves the store is a copy: no caller may share an object with it.
  const copy = (entry: StoreEntry | undefined): StoreEntry | undefined =>
    entry && { ...entry, value: structuredClone(entry.value) }
  return {
    kind: "map",
    size: (name) => names.get(name)?.size ?? 0,
    async open(name, { maxEntries }) {
      if (maxEntries !== null) throw new InvalidArgumentError("maxEntries: the map store keeps no bound")
      const slots = names.get(name) ?? new Map<string, readonly [StoreKey, StoreEntry]>()
      names.set(name, slots)
      const id = (key: StoreKey): string => JSON.stringify(key) // injective: no two keys share an id
      const read = (key: StoreKey): StoreEntry | undefined => copy(slots.get(id(key))?.[1])
      const namespace: StoreNamespace = {
        async close() {},
        getMany: async (keys) => keys.map(read),
        async setMany(entries) {
          // The cache hands the store its own private copies: they can be kept as they are.
          for (const [key, entry] of entries) slots.set(id(key), [key, entry])
        },
        async update(keys, fn) {
          const { writes, result } = fn(keys.map(read))
          keys.forEach((key, i) => {
            const write = writes[i]
            if (write === null) slots.delete(id(key))
            else if (write) slots.set(id(key), [key, write])
          })
          return result
        },
        async list(version) {
          const found = [...slots.values()].filter(([key]) => key[0] === version)
          return found
            .map(([key, entry]) => [key[1], copy(entry) as StoreEntry] as const)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        },
        async clear() {
          slots.clear()
        },
        async sweep(now, limit) {
          let removed = 0
          for (const [slot, [, entry]] of slots) {
            if (removed === limit) break
            const removal = removalTime(entry) // the expiry, or the end of the entry's stale windows
            if (removal !== null && removal <= now && slots.delete(slot)) removed++
          }
          return removed
        },
      }
      return namespace
    },
  }
}
