/**
 * What the tabs and workers of one origin share besides the database: a BroadcastChannel for changes,
 * and Web Locks for one factory call per key and one sweeper per name. Each is feature-detected: a
 * browser without it keeps every cache to itself for that part (the changes of other tabs are not
 * announced; every tab may compute a miss and sweep).
 * @packageDocumentation
 */
import { BROWSER_FILE } from "../../build-target.js"
import { realm } from "../../changes.js"
import { keyId, type StoreChange, type StoreKey, type StoreNamespace } from "../../types.js"

type Shared = Required<Pick<StoreNamespace, "publish" | "subscribe" | "lock" | "elect">>

interface Message {
  readonly realm: string
  readonly changes: readonly StoreChange[]
}

/**
 * How long a change waits for others to go with it in one message (ms). Each message costs the
 * writer a round trip to the browser process: in Chromium, sequential one-key writes ran at half
 * speed when each sent a message of its own.
 */
const GATHER = 20

const locks = (): LockManager | undefined => (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks

/** The cross-tab operations of the database `databaseName` (see {@link StoreNamespace}). */
export function sharedWithTabs(databaseName: string): Shared {
  // A channel of the database, if this realm has BroadcastChannel. A channel never keeps a Node
  // process alive.
  const channel = (): BroadcastChannel | undefined => {
    const Broadcast = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel
    const opened = Broadcast && new Broadcast(databaseName)
    if (!BROWSER_FILE) (opened as { unref?: () => void } | undefined)?.unref?.()
    return opened
  }
  // The changes of GATHER ms go in one message. (A hidden tab's timer may fire later, up to a second.)
  let held: StoreChange[] | null = null
  return {
    publish(change) {
      if (!held) {
        const changes: StoreChange[] = []
        held = changes
        const timer = setTimeout(() => {
          held = null
          // Opened for this message only: a cache with no subscribers holds no channel.
          const opened = channel()
          opened?.postMessage({ realm: realm().id, changes } satisfies Message)
          opened?.close()
        }, GATHER)
        if (!BROWSER_FILE) (timer as { unref?: () => void }).unref?.()
      }
      held.push(change)
    },
    subscribe(listener) {
      const opened = channel()
      if (opened)
        opened.onmessage = ({ data }: MessageEvent<Message>) => {
          // This realm's caches were told at once (src/changes.ts).
          if (data?.realm !== realm().id)
            data?.changes?.forEach((change) => {
              listener(change)
            })
        }
      return () => opened?.close()
    },
    lock<T>(key: StoreKey, fn: () => Promise<T>): Promise<T> {
      const manager = locks()
      if (!manager) return fn()
      const name = keyId([databaseName, keyId(key)]) // injective; starts with a digit
      return manager.request(name, fn) as Promise<T>
    },
    elect(onElected) {
      const manager = locks()
      if (!manager) {
        onElected()
        return () => {}
      }
      // Resigning releases the lock if it is held, and lets it go at once if granted later.
      let resign: (() => void) | null = null
      manager.request(`sweeper:${databaseName}`, () =>
        resign
          ? undefined
          : new Promise<void>((resolve) => {
              resign = resolve
              onElected()
            }),
      )
      return () => {
        resign?.()
        resign = () => {}
      }
    },
  }
}
