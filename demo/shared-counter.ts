// A counter shared by every tab: each click is one atomic incr (a read-write transaction), so clicks
// in two tabs at once never overwrite each other.
import { KeyNotFoundError } from "isocache"
import { announceChange } from "./changes.ts"
import { cache } from "./current-cache.ts"
import { byId } from "./dom.ts"
import { attempt, showOutcome } from "./format.ts"
import { onSnapshot } from "./live-entries.ts"

const KEY = "counter"
// Unversioned and never expiring whatever the cache's defaults, so that every tab counts the same entry.
const UNVERSIONED = { version: null }

async function increment(): Promise<number> {
  try {
    return await cache().incr(KEY, 1, UNVERSIONED)
  } catch (error) {
    if (!(error instanceof KeyNotFoundError)) throw error
    // The first click anywhere: add is atomic, so if another tab creates it first, its count stays.
    await cache().add(KEY, 0, { ...UNVERSIONED, timeout: null })
    return cache().incr(KEY, 1, UNVERSIONED)
  }
}

/** Wires the "Shared counter" section of index.html. */
export function startSharedCounter(): void {
  const value = byId("counter-value", HTMLOutputElement)
  const incr = byId("counter-incr", HTMLButtonElement)
  const reset = byId("counter-reset", HTMLButtonElement)
  const clicks = byId("counter-clicks", HTMLSpanElement)
  const result = byId("counter-result", HTMLOutputElement)
  let clicked = 0

  // The value shown is read from IndexedDB, like the live view: it moves with the other tabs' clicks too.
  onSnapshot((live) => {
    const entry = live.find((e) => e.version === "" && e.key === KEY)
    const set = typeof entry?.value === "number"
    const text = set ? String(entry.value) : "not set"
    if (value.textContent !== text) value.textContent = text
    value.classList.toggle("unset", !set)
  })

  incr.addEventListener("click", async () => {
    clicks.textContent = String(++clicked)
    // No waiting for the previous click: fast clicks overlap, which is the point.
    showOutcome(result, await attempt(increment))
    announceChange()
  })
  reset.addEventListener("click", async () => {
    showOutcome(result, await attempt(() => cache().delete(KEY, UNVERSIONED)))
    announceChange()
  })
}
