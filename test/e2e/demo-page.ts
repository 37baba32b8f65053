// Drives the demo page the way a person would: through labelled inputs and buttons. Used by the demo's
// end-to-end test; everything here waits on what the page shows, never on a fixed delay.
import type { BrowserContext, Locator, Page } from "playwright"

/** What a method panel shows after a run. */
export interface PanelResult {
  readonly state: string | null
  /** The returned value as shown (JSON, or `undefined`), when the call succeeded. */
  readonly value: string | null
  /** The error's class name, `code` and message, when it failed. */
  readonly errorName: string | null
  readonly errorCode: string | null
  readonly message: string | null
}

/** Browser console messages and page errors the test fails on. */
export interface Problems {
  readonly list: string[]
  /** Patterns of console messages that are expected (such as the browser logging a 503 it was meant to get). */
  readonly allowed: RegExp[]
}

const text = async (locator: Locator): Promise<string | null> =>
  (await locator.count()) ? await locator.first().textContent() : null

/** Reads a result area (an `<output class="result">`). */
export async function readResult(output: Locator): Promise<PanelResult> {
  return {
    state: await output.getAttribute("data-state"),
    value: await text(output.locator(".value")),
    errorName: await text(output.locator(".error-name")),
    errorCode: await text(output.locator(".error-code")),
    message: await text(output.locator(".error-message")),
  }
}

/**
 * Fills a method's panel (inputs by their label: "key", "value (JSON)", "timeout (s)"…), clicks Run, waits
 * for the outcome and returns it.
 */
export async function runMethod(page: Page, method: string, inputs: Record<string, string> = {}): Promise<PanelResult> {
  const panel = page.locator(`section[data-method="${method}"]`)
  for (const [label, value] of Object.entries(inputs)) await panel.getByLabel(label, { exact: true }).fill(value)
  const output = panel.locator("output.result")
  const runs = Number(await output.getAttribute("data-runs"))
  await panel.getByRole("button", { name: "Run", exact: true }).click()
  await panel.locator(`output.result[data-runs="${runs + 1}"]`).waitFor()
  return readResult(output)
}

/** The live view's row of an entry (`version` "" = unversioned). */
export function entryRow(page: Page, key: string, version = ""): Locator {
  return page.locator(`#entries-body tr[data-key="${key}"][data-version="${version}"]`)
}

/** Opens the demo in a new tab of `context`, recording console errors, warnings and page errors. */
export async function openDemo(context: BrowserContext, url: string, problems: Problems): Promise<Page> {
  const page = await context.newPage()
  page.on("console", (message) => {
    if (message.type() !== "error" && message.type() !== "warning") return
    if (problems.allowed.some((pattern) => pattern.test(message.text()))) return
    problems.list.push(`console.${message.type()}: ${message.text()}`)
  })
  page.on("pageerror", (error) => problems.list.push(`page error: ${error.message}`))
  await page.goto(url)
  await page.locator("body[data-ready]").waitFor()
  return page
}

/** What one call of the offline-API section logged. */
export interface ApiCall {
  readonly outcome: string | null
  readonly badge: string | null
  readonly detail: string | null
}

/** Fetches a quote through the cache with the page's form, and returns the call's log line. */
export async function fetchQuote(page: Page, id: number): Promise<ApiCall> {
  await page.getByLabel("quote", { exact: true }).selectOption(String(id))
  const log = page.locator("#api-log li")
  const calls = Number((await log.count()) ? await log.first().getAttribute("data-call") : 0)
  await page.getByRole("button", { name: "Fetch through the cache" }).click()
  const item = page.locator(`#api-log li[data-call="${calls + 1}"]`)
  await item.waitFor()
  return {
    outcome: await item.getAttribute("data-outcome"),
    badge: await text(item.locator(".badge")),
    detail: await text(item.locator(".detail")),
  }
}

/** Re-creates the page's cache with these defaults through the header form; returns what it shows. */
export async function recreateCache(page: Page, timeout: string, version: string): Promise<PanelResult> {
  await page.getByLabel("default timeout (s)").fill(timeout)
  await page.getByLabel("default version").fill(version)
  const output = page.locator("#settings-result")
  const runs = Number(await output.getAttribute("data-runs"))
  await page.getByRole("button", { name: "Re-create cache" }).click()
  await page.locator(`#settings-result[data-runs="${runs + 1}"]`).waitFor()
  return readResult(output)
}
