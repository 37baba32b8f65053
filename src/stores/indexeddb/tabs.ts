/**
 * What the tabs and workers of one origin share besides the database: a BroadcastChannel for changes,
 * and Web Locks for one factory call per key and one sweeper per name. Each is feature-detected: a
 * browser without it keeps every cache to itself for that part (the changes of other tabs are not
 * announced; every tab may compute a miss and sweep).
 * @packageDocumentation
 */
import { realm } from "../../changes.js"
import { keyId, type StoreChange, type StoreKey, type StoreNamespace } from "../../types.js"

type Shared = Required<Pick<StoreNamespace, "publish" | "subscribe" | "lock" | "elect">>

interface Message {
  readonly realm: string
  readonly change: StoreChange
}

// A channel never keeps a Node process alive.
const unref = (channel: BroadcastChannel): BroadcastChannel => {
  ;(channel as { unref?: () => void }).unref?.()
  return channel
}

const locks = (): LockManager | undefined => (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks

const Channel = (): typeof BroadcastChannel | undefined =>
  (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel

/** The cross-tab operations of the database `databaseName` (see {@link StoreNamespace}). */
export function sharedWithTabs(databaseName: string): Shared {
  return {
    publish(change) {
      const Broadcast = Channel()
      if (!Broadcast) return
      // Opened for this message only: a cache with no subscribers holds no channel.
      const channel = unref(new Broadcast(databaseName))
      channel.postMessage({ realm: realm().id, change } satisfies Message)
      channel.close()
    },
    subscribe(listener) {
      const Broadcast = Channel()
      if (!Broadcast) return () => {}
      const channel = unref(new Broadcast(databaseName))
      channel.onmessage = ({ data }: MessageEvent<Message>) => {
        // This realm's caches were told at once (src/changes.ts).
        if (data?.realm !== realm().id && data.change) listener(data.change)
      }
      return () => channel.close()
    },
    lock<T>(key: StoreKey, fn: (waited: boolean) => Promise<T>): Promise<T> {
      const manager = locks()
      if (!manager) return fn(false)
      const name = keyId([databaseName, keyId(key)]) // injective; starts with a digit
      return manager.request(name, { ifAvailable: true }, (lock) =>
        lock ? fn(false) : manager.request(name, () => fn(true)),
      ) as Promise<T>
    },
    elect(onElected) {
      const manager = locks()
      if (!manager) {
        onElected()
        return () => {}
      }
      const resigned = new AbortController()
      let resign = (): void => {}
      const held = new Promise<void>((resolve) => {
        resign = resolve
      })
      manager
        .request(`sweeper:${databaseName}`, { signal: resigned.signal }, () => {
          onElected()
          return held
        })
        .catch(() => {}) // resigned before elected
      return () => {
        resigned.abort()
        resign()
      }
    },
  }
}
