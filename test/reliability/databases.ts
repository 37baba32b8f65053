// Frees what a reliability test wrote, so that hundreds of runs do not pile up databases.
import { processMemoryStore } from "../../src/stores/memory.js"

/** Deletes the IndexedDB database of cache `name` (every connection to it must be closed). */
export function dropDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(`isocache:${name}`)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error(`deleting isocache:${name} is blocked by an open connection`))
  })
}

/** Empties the memory store of cache `name`. */
export async function dropMemory(name: string): Promise<void> {
  await (await processMemoryStore().open(name, { maxEntries: null })).clear()
}
