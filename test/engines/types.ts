// One interface over three browser engines, each driven by the tool that reaches it here: Chromium
// through Playwright, Firefox ESR through puppeteer-core (WebDriver BiDi), WebKitGTK through
// webdriverio (WebDriver classic). The Vitest provider, the browser commands, the end-to-end tests and
// the benchmark all speak to browsers through it, so one test runs unchanged in every engine.

/** The engines the tests run in. */
export type EngineName = "chromium" | "firefox" | "webkit"

/** Every engine, in the order the runs report them. */
export const engineNames: readonly EngineName[] = ["chromium", "firefox", "webkit"]

/** A top-level browsing context (a tab or a window) of a running engine. */
export interface Tab {
  /**
   * Calls `fn` (the source of a function, sync or async) with `args` in the page and returns what it
   * returned or resolved to, through JSON (so `undefined` properties are dropped, as any serialising
   * transport drops them). A throw or rejection in the page rejects with the page's message.
   */
  call<T = unknown>(fn: string, args?: readonly unknown[]): Promise<T>
  /** Loads `url` in this tab and waits for its `load` event. */
  goto(url: string): Promise<void>
  /** A PNG of what the tab shows. */
  screenshot(): Promise<Uint8Array>
  /** Resizes the tab's viewport (WebKit: its window) to `width` × `height` CSS pixels. */
  setViewport(width: number, height: number): Promise<void>
  /** Closes the tab as a user would: no `beforeunload` prompt, work in flight cut off. */
  close(): Promise<void>
}

/** A running engine: its tabs share one profile (one origin's IndexedDB is the same in every tab). */
export interface Engine {
  readonly name: EngineName
  /** The browser's own version string. */
  readonly version: string
  /** Opens `url` in a new top-level browsing context (a separate window where background tabs are throttled). */
  openTab(url: string): Promise<Tab>
  /**
   * Why this engine cannot lower an origin's storage quota, or `null` when `setQuota` works.
   */
  readonly quotaUnsupported: string | null
  /**
   * Limits the storage quota of `origin` to about `bytes` (`null` lifts the limit, keeping what is
   * stored). Call it before the origin stores anything; tabs opened on `origin` afterwards see it.
   */
  setQuota(origin: string, bytes: number | null): Promise<void>
  /**
   * Deletes the IndexedDB database `name` of `origin` as the browser's own tools do: open connections
   * are closed by the browser (their `close` event fires).
   */
  forceDeleteDatabase(origin: string, name: string): Promise<void>
  /** Stops the browser and every process started for it. */
  close(): Promise<void>
}

/** Options every engine's launcher takes. */
export interface LaunchOptions {
  /** The URL of a page of the test server that answers `Clear-Site-Data: "storage"` (Firefox, WebKit). */
  readonly clearSiteDataPath?: string
}

/**
 * Wraps `fn` for a page: its result, or its error's message and stack, as a JSON string, so that every
 * driver's transport carries the same thing (webdriverio, for one, reads a result with an `error` key
 * as a WebDriver error).
 */
export function wrapCall(fn: string, args: readonly unknown[]): string {
  return `Promise.resolve().then(() => (${fn})(...${JSON.stringify(args)})).then(
    (value) => JSON.stringify({ ok: true, value }),
    (error) => JSON.stringify({ ok: false, message: String(error && error.stack ? error.name + ": " + error.message + "\\n" + error.stack : error) }),
  )`
}

/** Reads what a wrapped call sent back (see wrapCall). */
export function unwrapCall<T>(json: string): T {
  const outcome = JSON.parse(json) as { ok: true; value: T } | { ok: false; message: string }
  if (!outcome.ok) throw new Error(`in the page: ${outcome.message}`)
  return outcome.value
}
