// The isocache demo: a panel per method, a live view of the IndexedDB database, offline API caching
// and a counter shared between tabs. `npm start` serves it.
import { announceChange } from "./changes.ts"
import { cache } from "./current-cache.ts"
import { byId } from "./dom.ts"
import { describeError } from "./format.ts"
import { startLiveEntries } from "./live-entries.ts"
import { renderMethodPanels } from "./method-panels.ts"
import { startOfflineApi } from "./offline-api.ts"
import { renderStatus, startSettings } from "./settings.ts"
import { startSharedCounter } from "./shared-counter.ts"

async function main(): Promise<void> {
  renderMethodPanels(byId("methods-grid", HTMLDivElement), byId("methods-small", HTMLDivElement))
  startSettings()
  startSharedCounter()
  startOfflineApi()
  // Connected before the live view reads, so that the cache, not the reader, creates the database.
  await cache().connect()
  renderStatus()
  startLiveEntries()
  announceChange()
  document.body.dataset.ready = "true"
}

main().catch((error: unknown) => {
  const { name, message } = describeError(error)
  const banner = byId("fatal", HTMLParagraphElement)
  banner.textContent = `The demo could not start: ${name}: ${message}`
  banner.hidden = false
})
