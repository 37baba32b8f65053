// The namespace of a cache name seen through a memory front: hits from memory, the rest from the
// store behind it, and what the front holds kept true by this namespace's writes and by the change
// events of every other cache of the name.
import { listen } from "../changes.js"
import { copyStored } from "../storable.js"
import {
  keyId,
  type StoreChange,
  type StoreEntry,
  type StoreKey,
  type StoreNamespace,
  type StoreWrite,
} from "../types.js"
import { callQueue } from "./queue.js"

// A caller's copy of an entry the front keeps.
const copy = (entry: StoreEntry): StoreEntry => ({ ...entry, value: copyStored(entry.value) })

// Freezes plain data (objects and arrays of Object's and Array's prototypes, primitives) all the way
// down, and tells whether `value` was all plain; anything else stops the walk, and that value is then
// copied per read (what was frozen of it stays frozen: it is the front's own copy).
function freezePlain(value: unknown, seen: Set<object>): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return true
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && !(proto === Array.prototype && Array.isArray(value))) return false
  seen.add(value)
  for (const key of Object.keys(value)) if (!freezePlain((value as Record<string, unknown>)[key], seen)) return false
  Object.freeze(value)
  return true
}

/** How a front behaves: its bound, and whether it shares frozen values (see MemoryFrontOptions). */
export interface FrontSettings {
  readonly limit: number
  readonly frozen: boolean
}

/**
 * The namespace `inner` behind the front `slots` (entries by keyId, the least recently used first,
 * at most `settings.limit`). `closed` is called when the cache closes it.
 */
export function frontOf(
  inner: StoreNamespace,
  name: string,
  backend: unknown,
  { limit, frozen }: FrontSettings,
  slots: Map<string, StoreEntry>,
  closed: () => void,
): StoreNamespace {
  const queue = callQueue()

  // What changed while reads and writes were under way: one fills the front with what it saw only if
  // its key was not changed since it started (by a write, an event, a clear); a change event can
  // overtake the commit it tells of. Once nothing is under way, the changes are forgotten.
  let clock = 0
  let clearedAt = 0
  const changedAt = new Map<string, number>()
  let running = 0
  const changed = (id: string): void => {
    slots.delete(id)
    if (running) changedAt.set(id, ++clock)
  }
  const cleared = (): void => {
    slots.clear()
    clearedAt = ++clock
  }
  const unchanged = (id: string, since: number): boolean => clearedAt <= since && (changedAt.get(id) ?? 0) <= since
  const tracked = async <R>(run: (since: number) => Promise<R>): Promise<R> => {
    running++
    try {
      return await run(clock)
    } finally {
      if (!--running) changedAt.clear()
    }
  }

  // The keys of the writes issued and not ended (a clear counts for every key): a read of one comes
  // from the store, after the write, as the calls were issued.
  const writing = new Map<string, number>()
  let clearing = 0
  const busy = (id: string): boolean => clearing > 0 || writing.has(id)
  // Runs a write of `keys` through the queue, its keys busy from now until it ends.
  const write = async <R>(keys: readonly StoreKey[], call: (since: number) => Promise<R>): Promise<R> => {
    const ids = keys.map(keyId)
    for (const id of ids) writing.set(id, (writing.get(id) ?? 0) + 1)
    try {
      return await queue.run(true, () => tracked(call))
    } finally {
      for (const id of ids) {
        const left = (writing.get(id) as number) - 1
        if (left) writing.set(id, left)
        else writing.delete(id)
      }
    }
  }

  const keep = (key: StoreKey, entry: StoreEntry): void => {
    const id = keyId(key)
    slots.delete(id)
    slots.set(id, entry)
    // Only past the bound: SpiderMonkey's Map iterator steps over every entry deleted before it (each
    // hit moves its entry to the end), which made every read slower than the one before in Firefox.
    if (slots.size > limit)
      for (const oldest of slots.keys()) {
        if (slots.size <= limit) break
        slots.delete(oldest)
      }
  }
  // The front's own entry for `entry` (in frozen mode, frozen when its value is plain data), and a
  // caller's entry from one the front keeps: a frozen one itself, else a copy.
  const owned = (entry: StoreEntry): StoreEntry => {
    const kept = copy(entry)
    if (frozen && freezePlain(kept.value, new Set())) Object.freeze(kept)
    return kept
  }
  const give = (kept: StoreEntry): StoreEntry => (Object.isFrozen(kept) ? kept : copy(kept))
  // What the front holds of each key that no write under way is changing.
  const lookUp = (keys: readonly StoreKey[]): Array<StoreEntry | undefined> =>
    keys.map((key) => {
      const id = keyId(key)
      return busy(id) ? undefined : slots.get(id)
    })
  // The callers' entries of hits, now the most recently used.
  const served = (keys: readonly StoreKey[], hits: readonly StoreEntry[]): StoreEntry[] =>
    hits.map((hit, i) => {
      keep(keys[i] as StoreKey, hit)
      return give(hit)
    })
  // After a write committed: the entries it stored, whose keys nothing changed while it ran; the others
  // forgotten. Then the reads under way of these keys keep nothing.
  const wrote = (since: number, writes: ReadonlyArray<readonly [StoreKey, StoreWrite]>): void => {
    for (const [key, entry] of writes) {
      if (entry === undefined) continue
      const id = keyId(key)
      const kept = entry && unchanged(id, since)
      changed(id)
      // The store may hold the written entry itself (the memory store does): frozen, it gets a copy.
      if (kept) keep(key, frozen ? owned(entry) : entry)
    }
  }
  const forget = (keys: readonly StoreKey[]): void => {
    for (const key of keys) changed(keyId(key))
  }
  // One of the store's own read-modify-writes, whose writes the front does not see: forgets `keys`.
  const through =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>, keys: (...args: A) => readonly StoreKey[]) =>
    (...args: A): Promise<R> => {
      const written = keys(...args)
      return write(written, () => call(...args)).finally(() => forget(written))
    }

  // The last change this namespace published: its own, not to forget when this realm hears of it.
  let own: StoreChange | null = null
  const evict = (change: StoreChange): void => {
    if (change.type === "clear") cleared()
    else forget(change.keys.map((key): StoreKey => [change.version ?? "", key]))
  }
  // Every change of the name made in this realm, whatever its backend: one on another backend only
  // costs a miss, and the Redis store, whose changes travel through the server even within a process,
  // gives each namespace a backend of its own.
  const stopListening = listen(name, (change) => {
    if (change !== own) evict(change)
  })
  const stopChannel = inner.subscribe?.(evict)

  const namespace: StoreNamespace = {
    backend,
    async close() {
      stopListening()
      stopChannel?.()
      slots.clear()
      closed()
      await inner.close()
    },
    peek(keys) {
      const found = lookUp(keys)
      return found.every(Boolean) ? served(keys, found as StoreEntry[]) : undefined
    },
    async getMany(keys) {
      const found = lookUp(keys)
      const missing = keys.filter((_, i) => !found[i])
      if (!missing.length) return served(keys, found as StoreEntry[])
      return queue.run(false, () =>
        tracked(async (since) => {
          const read = await inner.getMany(missing)
          let next = 0
          return found.map((hit, i) => {
            if (hit) return give(hit)
            const entry = read[next++]
            const key = keys[i] as StoreKey
            if (!entry || !unchanged(keyId(key), since)) return entry
            // The caller keeps what the store returned (or, frozen, the front's own), the front its own.
            const kept = owned(entry)
            keep(key, kept)
            return Object.isFrozen(kept) ? kept : entry
          })
        }),
      )
    },
    setMany: (entries) =>
      write(
        entries.map(([key]) => key),
        async (since) => {
          await inner.setMany(entries)
          wrote(since, entries)
        },
      ),
    update: (keys, fn) =>
      write(keys, async (since) => {
        let writes: readonly StoreWrite[] = []
        const result = await inner.update(keys, (current) => {
          const decided = fn(current)
          writes = decided.writes
          return decided
        })
        wrote(
          since,
          keys.map((key, i) => [key, writes[i]]),
        )
        return result
      }),
    list: (version) => queue.run(false, () => inner.list(version)),
    async clear() {
      clearing++
      try {
        await queue.run(true, () => inner.clear())
      } finally {
        clearing--
        cleared()
      }
    },
    sweep: (now, limit) => inner.sweep(now, limit),
    publish(change) {
      own = change
      inner.publish?.(change)
    },
  }
  if (inner.add) namespace.add = through(inner.add.bind(inner), (key) => [key])
  if (inner.incr) namespace.incr = through(inner.incr.bind(inner), (key) => [key])
  if (inner.touch) namespace.touch = through(inner.touch.bind(inner), (key) => [key])
  if (inner.deleteLive) namespace.deleteLive = through(inner.deleteLive.bind(inner), (keys) => keys)
  if (inner.subscribe) namespace.subscribe = inner.subscribe.bind(inner)
  if (inner.lock) namespace.lock = inner.lock.bind(inner)
  if (inner.elect) namespace.elect = inner.elect.bind(inner)
  return namespace
}
