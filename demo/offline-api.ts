// Offline API caching: every call goes through cache.getOrSet(url, fetcher, { timeout, stale windows }),
// so a URL fetched once keeps answering from the cache, instantly, even while the mock API is switched
// off, and after its timeout it answers stale within its windows, with a badge saying how old it is.
import { announceChange } from "./changes.ts"
import { cache } from "./current-cache.ts"
import { byId, h } from "./dom.ts"
import { attempt, describeError } from "./format.ts"
import { parseTimeout } from "./inputs.ts"
import { OFFLINE_HEADER } from "./mock-api.ts"

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

const time = (iso: string): string => new Date(iso).toLocaleTimeString()

/** Wires the "Offline API caching" section of index.html. */
export function startOfflineApi(): void {
  const form = byId("api-form", HTMLFormElement)
  const id = byId("api-id", HTMLSelectElement)
  const timeout = byId("api-timeout", HTMLInputElement)
  const swr = byId("api-swr", HTMLInputElement)
  const sie = byId("api-sie", HTMLInputElement)
  const forget = byId("api-forget", HTMLButtonElement)
  const online = byId("api-online", HTMLInputElement)
  const status = byId("api-status", HTMLSpanElement)
  const latest = byId("api-latest", HTMLElement)
  const log = byId("api-log", HTMLOListElement)
  let calls = 0

  const url = (): string => `/api/quote?id=${id.value}`

  // The switch belongs to this page (a fresh page starts online): off, its requests ask the mock API
  // for a 503, as a server that is down would answer.
  const fetchJson = async (target: string): Promise<Quote> => {
    const response = await fetch(target, { headers: online.checked ? {} : { [OFFLINE_HEADER]: "1" } })
    if (!response.ok) {
      const reason = response.status === 503 ? "the mock API is switched off" : `HTTP ${response.status}`
      throw new ApiError(`${target} failed (${reason})`)
    }
    return response.json()
  }

  const showOnline = (): void => {
    status.textContent = online.checked ? "online" : "offline (answers 503)"
    status.dataset.online = String(online.checked)
  }
  online.addEventListener("change", showOnline)
  showOnline()

  const addLog = (outcome: string, badge: string, target: string, ms: number, detail: HTMLElement): void => {
    const item = h(
      "li",
      { "data-outcome": outcome, "data-call": ++calls },
      h("span", { class: `badge ${badge}` }, badge.toUpperCase()),
      h("code", {}, target),
      h("span", { class: "ms" }, `${Math.round(ms)} ms`),
      detail,
    )
    log.prepend(item)
    while (log.children.length > MAX_LOG) log.lastElementChild?.remove()
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const target = url()
    let called = false
    let background = false
    const outcome = await attempt(() =>
      cache().getOrSet(
        target,
        (context) => {
          called = true
          background = context.background
          return fetchJson(target)
        },
        {
          timeout: parseTimeout(timeout.value),
          staleWhileRevalidate: parseTimeout(swr.value) ?? null,
          staleIfError: parseTimeout(sie.value) ?? null,
        },
      ),
    )
    const entry = outcome.ok
      ? await cache()
          .getEntry(target)
          .catch(() => undefined)
      : undefined
    // Served stale: within staleWhileRevalidate (refreshing in the background), or within
    // staleIfError after the API failed. A call rejected before (a bad timeout) is neither hit nor miss.
    // The entry is read after the call: if it holds another quote than the one served, a background
    // refresh replaced the stale one served in between.
    const replaced =
      outcome.ok &&
      !called &&
      entry !== undefined &&
      (entry.value as Quote).servedAt !== (outcome.value as Quote).servedAt
    const stale = outcome.ok && (background || replaced || entry?.stale === true)
    const badge = stale ? "stale" : called ? "miss" : outcome.ok ? "hit" : "error"
    if (outcome.ok) {
      const quote = outcome.value as Quote
      const age = replaced
        ? "stale, refreshed in the background since"
        : stale && entry?.expiresAt != null
          ? `stale, expired ${Math.max(0, Math.round((Date.now() - entry.expiresAt) / 1000))} s ago`
          : ""
      addLog(
        badge,
        badge,
        target,
        outcome.ms,
        h("span", { class: "detail" }, `served by the API at ${time(quote.servedAt)}${age ? ` · ${age}` : ""}`),
      )
      latest.replaceChildren(
        h("blockquote", {}, `“${quote.text}”`),
        h("p", {}, `— ${quote.author} · quote ${quote.id}, served by the API at ${time(quote.servedAt)}`),
        ...(age ? [h("p", { class: "stale-note" }, h("span", { class: "badge stale" }, "STALE"), ` ${age}`)] : []),
      )
      latest.dataset.quote = String(quote.id)
      latest.dataset.servedAt = quote.servedAt
      latest.dataset.stale = String(stale)
    } else {
      const { name, message } = describeError(outcome.error)
      addLog("error", badge, target, outcome.ms, h("span", { class: "detail error" }, `${name}: ${message}`))
      // The box never keeps showing an older quote as if it were the answer.
      latest.replaceChildren(h("p", { class: "empty error" }, `No quote for ${target}: ${message}`))
      delete latest.dataset.quote
      delete latest.dataset.servedAt
      delete latest.dataset.stale
    }
    announceChange()
  })

  forget.addEventListener("click", async () => {
    const target = url()
    const outcome = await attempt(() => cache().delete(target))
    const detail = outcome.ok
      ? h("span", { class: "detail" }, outcome.value ? "delete: removed the live entry" : "delete: no live entry")
      : h(
          "span",
          { class: "detail error" },
          `${describeError(outcome.error).name}: ${describeError(outcome.error).message}`,
        )
    addLog(outcome.ok ? "deleted" : "error", outcome.ok ? "deleted" : "error", target, outcome.ms, detail)
    announceChange()
  })
}
