// "Something changed": every committed write to the demo's cache, in this tab or another (through
// cache.subscribe), and every action of this tab (a disconnect, a re-created cache), so that the live
// view reads the cache again. Nothing polls.
import { cache } from "./current-cache.ts"

const local = new EventTarget()
const changed = (): void => {
  local.dispatchEvent(new Event("change"))
}
let unsubscribe: (() => void) | null = null

/**
 * Tells this tab that the cache may have changed, and subscribes again to the cache in use: a
 * disconnect() or a re-created cache ends the previous subscription.
 */
export function announceChange(): void {
  unsubscribe?.()
  unsubscribe = cache().subscribe(changed)
  changed()
}

/** Calls `listener` after every change of the cache, made here or in another tab. */
export function onChange(listener: () => void): void {
  local.addEventListener("change", listener)
}
