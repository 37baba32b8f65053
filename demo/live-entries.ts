// The live view: the live entries of the cache right now, read through the library (keys() and
// getEntry(), see read-cache.ts) after every change of the cache (its change events: this tab's and
// the other tabs' writes), never by polling; the countdowns to each expiry tick every 250 ms on what
// was read last. The table's data-reads attribute counts the reads.
import { onChange } from "./changes.ts"
import { cache } from "./current-cache.ts"
import { byId, h } from "./dom.ts"
import { abbreviate, describeError, formatCountdown, formatValue } from "./format.ts"
import { readEntries, type StoredEntry } from "./read-cache.ts"

const COUNTDOWN_MS = 250
/** Rows of entries closer than this to their expiry are highlighted. */
const SOON_MS = 5000

type SnapshotListener = (live: readonly StoredEntry[]) => void
const listeners: SnapshotListener[] = []

/** Calls `listener` with the live entries after every read of the database. */
export function onSnapshot(listener: SnapshotListener): void {
  listeners.push(listener)
}

const rowId = (entry: StoredEntry): string => JSON.stringify([entry.version, entry.key])

function byVersionThenKey(a: StoredEntry, b: StoredEntry): number {
  return a.version === b.version ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.version < b.version ? -1 : 1
}

function setText(cell: Element | undefined, text: string): void {
  if (cell && cell.textContent !== text) cell.textContent = text
}

/** Starts the live view in the elements of index.html. */
export function startLiveEntries(): void {
  const body = byId("entries-body", HTMLTableSectionElement)
  const empty = byId("entries-empty", HTMLParagraphElement)
  const note = byId("entries-note", HTMLParagraphElement)
  const rows = new Map<string, HTMLTableRowElement>()
  let order = ""
  let last: readonly StoredEntry[] = []
  let reads = 0

  const render = (stored: readonly StoredEntry[], now: number): StoredEntry[] => {
    // An entry that expired since the read leaves the view at once, as it left the cache.
    const live = stored.filter((entry) => entry.expiresAt === null || now < entry.expiresAt).sort(byVersionThenKey)
    const seen = new Set<string>()
    for (const entry of live) {
      const id = rowId(entry)
      seen.add(id)
      let row = rows.get(id)
      if (!row) {
        row = h(
          "tr",
          { "data-key": entry.key, "data-version": entry.version },
          h("td", { class: "key" }),
          h("td", { class: "version" }),
          h("td", { class: "value" }),
          h("td", { class: "expiry" }),
        )
        rows.set(id, row)
      }
      const [key, version, value, expiry] = row.cells
      const text = formatValue(entry.value)
      setText(key, entry.key === "" ? '""' : entry.key)
      setText(version, entry.version === "" ? "—" : entry.version)
      setText(value, abbreviate(text))
      if (value && value.title !== text) value.title = text
      setText(expiry, entry.expiresAt === null ? "never" : formatCountdown(entry.expiresAt - now))
      row.classList.toggle("soon", entry.expiresAt !== null && entry.expiresAt - now < SOON_MS)
    }
    for (const [id, row] of rows) {
      if (seen.has(id)) continue
      row.remove()
      rows.delete(id)
    }
    // Rows move only when the order changes, so that a selection in the table survives the refreshes.
    const nextOrder = live.map(rowId).join("\n")
    if (nextOrder !== order) {
      body.append(...live.map((entry) => rows.get(rowId(entry)) as HTMLTableRowElement))
      order = nextOrder
    }
    empty.hidden = live.length > 0
    note.textContent =
      cache().storeKind === "memory" ? "This cache fell back to memory: its entries live in this page only." : ""
    return live
  }

  const show = (stored: readonly StoredEntry[]): void => {
    const live = render(stored, Date.now())
    for (const listener of listeners) listener(live)
  }
  const refresh = async (): Promise<void> => {
    try {
      last = await readEntries(cache())
      body.dataset.reads = String(++reads)
      show(last)
    } catch (error) {
      // The next change reads again.
      const { name, message } = describeError(error)
      note.textContent = `Could not read the cache: ${name}: ${message}`
    }
  }

  // One read at a time; a change during a read asks for one more read right after it.
  let reading = false
  let again = false
  const tick = async (): Promise<void> => {
    if (reading) {
      again = true
      return
    }
    reading = true
    try {
      do {
        again = false
        await refresh()
      } while (again)
    } finally {
      reading = false
    }
  }
  // The countdowns move, and an entry that expires leaves the view, without reading the cache again.
  setInterval(() => show(last), COUNTDOWN_MS)
  // The first read comes with the page's first announceChange() (main.ts).
  onChange(tick)
}
