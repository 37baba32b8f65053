// "Something changed": after every action of this tab, and of the demo's other tabs (through a
// BroadcastChannel), so the live view refreshes at once instead of at its next tick.
const local = new EventTarget()
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("isocache-demo") : null

channel?.addEventListener("message", () => local.dispatchEvent(new Event("change")))

/** Tells this tab and the others that the entries or the cache may have changed. */
export function announceChange(): void {
  local.dispatchEvent(new Event("change"))
  channel?.postMessage("change")
}

/** Calls `listener` after every change announced here or in another tab. */
export function onChange(listener: () => void): void {
  local.addEventListener("change", listener)
}
