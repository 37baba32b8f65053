/**
 * How changes travel within one realm (a page, a worker, a process): the subscribed caches of each
 * name, told at once of a change another cache of that name committed. Kept on `globalThis`, so that
 * an app loading both the ESM and the CJS build still has one registry.
 * @packageDocumentation
 */
import type { ChangeEvent, StoreChange } from "./types.js"

/** A subscribed cache: told of a change that another cache of its name made on `backend`. */
export type Receiver = (change: StoreChange, backend: unknown) => void

interface Realm {
  /** Tells this realm's messages apart from other realms' on a channel they share. */
  readonly id: string
  readonly names: Map<string, Set<Receiver>>
}

const realmKey = Symbol.for("isocache.realm")

/** This realm's registry, created on first use (importing the module reads no global). */
export function realm(): Realm {
  const g = globalThis as { [realmKey]?: Realm }
  g[realmKey] ??= { id: `${Math.random()}`.slice(2), names: new Map() }
  return g[realmKey]
}

/** Registers a receiver for the changes of `name` made in this realm; returns how to unregister it. */
export function listen(name: string, receiver: Receiver): () => void {
  const { names } = realm()
  const receivers = names.get(name) ?? new Set()
  names.set(name, receivers.add(receiver))
  return () => {
    receivers.delete(receiver)
    if (!receivers.size) names.delete(name)
  }
}

/** Tells every receiver of `name` in this realm but `from` of a change made on `backend`. */
export function announce(name: string, change: StoreChange, backend: unknown, from: Receiver | null): void {
  for (const receiver of [...(realm().names.get(name) ?? [])]) if (receiver !== from) receiver(change, backend)
}

/** Calls each listener with the event; one that throws harms neither the cache nor the others. */
export function deliver(listeners: Iterable<(event: ChangeEvent) => void>, change: StoreChange, local: boolean): void {
  const event: ChangeEvent = { ...change, local }
  for (const listener of [...listeners]) {
    try {
      listener(event)
    } catch {}
  }
}
