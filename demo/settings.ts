// The header: which store the cache uses, and its defaults, which the form re-creates the cache with.
import { onChange } from "./changes.ts"
import { cache, DATABASE_NAME, recreateCache } from "./current-cache.ts"
import { byId } from "./dom.ts"
import { attempt, showDone, showOutcome } from "./format.ts"
import { parseTimeout, parseVersion } from "./inputs.ts"

/** Shows the cache's store kind and defaults in the header. */
export function renderStatus(): void {
  const c = cache()
  byId("status-store", HTMLElement).textContent = c.storeKind ?? "not connected yet"
  byId("status-database", HTMLElement).textContent = c.storeKind === "memory" ? "(memory)" : DATABASE_NAME
  byId("status-timeout", HTMLElement).textContent = c.timeout === null ? "never" : `${c.timeout} s`
  byId("status-version", HTMLElement).textContent = c.version === null ? "none" : JSON.stringify(c.version)
}

/** Wires the settings form of index.html. */
export function startSettings(): void {
  const form = byId("settings", HTMLFormElement)
  const timeout = byId("settings-timeout", HTMLInputElement)
  const version = byId("settings-version", HTMLInputElement)
  const result = byId("settings-result", HTMLOutputElement)

  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const defaults = { timeout: parseTimeout(timeout.value), version: parseVersion(version.value) }
    const outcome = await attempt(() => recreateCache(defaults))
    // On success the status chips say it all; the result area only confirms.
    if (outcome.ok) showDone(result, "✓ re-created")
    else showOutcome(result, outcome)
    renderStatus()
  })
  onChange(renderStatus)
  renderStatus()
}
