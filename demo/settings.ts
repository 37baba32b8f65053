// The header: which store the cache uses, and its defaults, which the form re-creates the cache with.
import { persistStorage, storageEstimate } from "isocache/storage"
import { onChange } from "./changes.ts"
import { cache, DATABASE_NAME, recreateCache } from "./current-cache.ts"
import { byId } from "./dom.ts"
import { attempt, showDone, showOutcome } from "./format.ts"
import { parseBound, parseTimeout, parseVersion } from "./inputs.ts"

/** Shows the cache's store kind and defaults in the header. */
export function renderStatus(): void {
  const c = cache()
  byId("status-store", HTMLElement).textContent = c.storeKind ?? "not connected yet"
  byId("status-database", HTMLElement).textContent = c.storeKind === "memory" ? "(memory)" : DATABASE_NAME
  byId("status-timeout", HTMLElement).textContent = c.timeout === null ? "never" : `${c.timeout} s`
  byId("status-version", HTMLElement).textContent = c.version === null ? "none" : JSON.stringify(c.version)
  byId("status-bound", HTMLElement).textContent = bound === undefined ? "unbounded" : String(bound)
  void renderUsage()
}

// The bound the cache was created with (the Cache has no getter for it).
let bound: number | null | undefined

const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`

/** Shows the origin's storage use and whether it is persistent, where the browser tells. */
async function renderUsage(): Promise<void> {
  const usage = byId("status-usage", HTMLElement)
  try {
    const estimate = await storageEstimate(cache())
    usage.textContent =
      estimate === null
        ? "not reported here"
        : `${megabytes(estimate.usage)} of ${megabytes(estimate.quota)}${estimate.persisted ? " · persisted" : ""}`
  } catch {
    usage.textContent = "unknown"
  }
}

/** Wires the settings form of index.html. */
export function startSettings(): void {
  const form = byId("settings", HTMLFormElement)
  const timeout = byId("settings-timeout", HTMLInputElement)
  const version = byId("settings-version", HTMLInputElement)
  const maxEntries = byId("settings-bound", HTMLInputElement)
  const persist = byId("settings-persist", HTMLButtonElement)
  const result = byId("settings-result", HTMLOutputElement)

  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const defaults = {
      timeout: parseTimeout(timeout.value),
      version: parseVersion(version.value),
      maxEntries: parseBound(maxEntries.value),
    }
    const outcome = await attempt(() => recreateCache(defaults))
    if (outcome.ok) bound = defaults.maxEntries
    // On success the status chips say it all; the result area only confirms.
    if (outcome.ok) showDone(result, "✓ re-created")
    else showOutcome(result, outcome)
    renderStatus()
  })
  persist.addEventListener("click", async () => {
    const outcome = await attempt(() => persistStorage(cache()))
    if (outcome.ok) showDone(result, outcome.value ? "✓ storage persisted" : "the browser did not grant persistence")
    else showOutcome(result, outcome)
    renderStatus()
  })
  onChange(renderStatus)
  renderStatus()
}
