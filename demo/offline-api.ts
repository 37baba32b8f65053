// Offline API caching: every call goes through cache.getOrSet(url, fetcher, { timeout }), so a URL
// fetched once keeps answering from the cache, instantly, even while the mock API is switched off.
import { announceChange } from "./changes.ts"
import { cache } from "./current-cache.ts"
import { byId, h } from "./dom.ts"
import { attempt, describeError } from "./format.ts"
import { parseTimeout } from "./inputs.ts"

/** The API answered, but not with a 2xx: nothing is cached. */
class ApiError extends Error {
  override name = "ApiError"
}

interface Quote {
  id: number
  text: string
  author: string
  servedAt: string
}

const MAX_LOG = 8

async function fetchJson(url: string): Promise<Quote> {
  const response = await fetch(url)
  if (!response.ok) {
    const reason = response.status === 503 ? "the mock API is switched off" : `HTTP ${response.status}`
    throw new ApiError(`${url} failed (${reason}) and is not in the cache`)
  }
  return response.json()
}

const time = (iso: string): string => new Date(iso).toLocaleTimeString()

// Asks the dev server whether the mock API is on (and switches it, with `online`); null when it cannot tell.
async function apiState(online?: boolean): Promise<boolean | null> {
  try {
    const response =
      online === undefined
        ? await fetch("/api/__status")
        : await fetch(`/api/__toggle?online=${online ? 1 : 0}`, { method: "POST" })
    if (!response.ok) return null
    const state: unknown = await response.json()
    return typeof state === "object" && state !== null && "online" in state ? state.online === true : null
  } catch {
    return null
  }
}

/** Wires the "Offline API caching" section of index.html. */
export function startOfflineApi(): void {
  const form = byId("api-form", HTMLFormElement)
  const id = byId("api-id", HTMLSelectElement)
  const timeout = byId("api-timeout", HTMLInputElement)
  const forget = byId("api-forget", HTMLButtonElement)
  const online = byId("api-online", HTMLInputElement)
  const status = byId("api-status", HTMLSpanElement)
  const latest = byId("api-latest", HTMLElement)
  const log = byId("api-log", HTMLOListElement)
  let calls = 0

  const url = (): string => `/api/quote?id=${id.value}`

  const showOnline = (on: boolean): void => {
    online.checked = on
    status.textContent = on ? "online" : "offline (answers 503)"
    status.dataset.online = String(on)
  }

  // The on/off switch belongs to the dev server (every tab sees the same API); ask it how it stands.
  const sync = async (): Promise<void> => {
    const state = await apiState()
    if (state !== null) showOnline(state)
    else {
      online.disabled = true
      status.textContent = "not available: the mock API runs on the dev server (npm start)"
    }
  }

  online.addEventListener("change", async () => {
    const wanted = online.checked
    online.disabled = true
    const state = await apiState(wanted)
    online.disabled = false
    showOnline(state ?? !wanted)
  })
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") void sync()
  })

  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const target = url()
    const call = ++calls
    let missed = false
    const outcome = await attempt(() =>
      cache().getOrSet(
        target,
        () => {
          missed = true
          return fetchJson(target)
        },
        { timeout: parseTimeout(timeout.value) },
      ),
    )
    // A failed call is still a miss if it went to the API; one rejected before (a bad timeout) is neither.
    const badge = missed ? "miss" : outcome.ok ? "hit" : "error"
    const item = h(
      "li",
      { "data-outcome": outcome.ok ? badge : "error", "data-call": call },
      h("span", { class: `badge ${badge}` }, badge.toUpperCase()),
      h("code", {}, target),
      h("span", { class: "ms" }, `${Math.round(outcome.ms)} ms`),
    )
    if (outcome.ok) {
      const quote = outcome.value as Quote
      item.append(h("span", { class: "detail" }, `served by the API at ${time(quote.servedAt)}`))
      latest.replaceChildren(
        h("blockquote", {}, `“${quote.text}”`),
        h("p", {}, `— ${quote.author} · quote ${quote.id}, served by the API at ${time(quote.servedAt)}`),
      )
      latest.dataset.quote = String(quote.id)
      latest.dataset.servedAt = quote.servedAt
    } else {
      const { name, message } = describeError(outcome.error)
      item.append(h("span", { class: "detail error" }, `${name}: ${message}`))
    }
    log.prepend(item)
    while (log.children.length > MAX_LOG) log.lastElementChild?.remove()
    announceChange()
  })

  forget.addEventListener("click", async () => {
    await attempt(() => cache().delete(url()))
    announceChange()
  })

  void sync()
}
