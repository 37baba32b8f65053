// The demo SPA, end to end: its own Vite server, Debian's Chromium driven by Playwright, and every method
// used through the page as a person would. Any console error or warning, or uncaught page error, fails.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright"
import { build, createServer, type ViteDevServer } from "vite"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { chromiumArgs, chromiumPath, hasChromium } from "../browser/chromium.ts"
import { entryRow, fetchQuote, openDemo, type Problems, recreateCache, runMethod } from "./demo-page.ts"

const demoConfig = fileURLToPath(new URL("../../demo/vite.config.ts", import.meta.url))
const screenshots = fileURLToPath(new URL("../../test-results/", import.meta.url))
// Waits for what the page shows; generous, because benchmarks may share the machine's two cores.
const SHOWN = { timeout: 15_000 }

// Without Chromium this file is skipped, except under CI, where the launch then fails loudly.
const skip = !hasChromium && process.env.CI !== "true"

describe.skipIf(skip)("demo SPA in Chromium", () => {
  let server: ViteDevServer
  let url: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const problems: Problems = {
    list: [],
    // Chromium logs every failed response; this one is the test switching the mock API off on purpose.
    allowed: [/Failed to load resource: the server responded with a status of 503/],
  }

  beforeAll(async () => {
    server = await createServer({
      configFile: demoConfig,
      logLevel: "warn",
      clearScreen: false,
      server: { port: 0, strictPort: false, hmr: false },
    })
    await server.listen()
    const local = server.resolvedUrls?.local[0]
    if (!local) throw new Error("the demo server has no local URL")
    url = local
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await openDemo(context, url, problems)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  afterEach(() => {
    expect(problems.list.splice(0), "console errors or page errors").toEqual([])
  })

  it("serves the page from the library's source, on IndexedDB, showing the cache's defaults", async () => {
    await expect.poll(() => page.locator("#status-store").textContent(), SHOWN).toBe("indexeddb")
    expect(await page.locator("#status-database").textContent()).toBe("isocache:demo")
    expect(await page.locator("#status-timeout").textContent()).toBe("never")
    expect(await page.locator("#status-version").textContent()).toBe("none")
    expect(await page.locator("#entries-empty").isVisible()).toBe(true)
  })

  it("set, get, add, getOrSet and touch show their results, and the live view follows", async () => {
    const set = await runMethod(page, "set", { key: "user:42", "value (JSON)": '{"name": "Ada"}', "timeout (s)": "30" })
    expect(set).toMatchObject({ state: "ok", value: "undefined" })
    const row = entryRow(page, "user:42")
    await row.waitFor(SHOWN)
    expect(await row.locator(".value").textContent()).toBe('{"name":"Ada"}')
    expect(await row.locator(".expiry").textContent()).toMatch(/^\d+\.\d s$/)

    expect(await runMethod(page, "get", { key: "user:42" })).toMatchObject({ state: "ok", value: '{"name":"Ada"}' })
    expect(await runMethod(page, "get", { key: "nobody", "default (JSON)": '"none"' })).toMatchObject({
      value: '"none"',
    })
    expect((await runMethod(page, "get", { key: "nobody", "default (JSON)": "" })).value).toBe("undefined")

    expect((await runMethod(page, "add", { key: "lock:job", "value (JSON)": "true" })).value).toBe("true")
    expect((await runMethod(page, "add", { key: "lock:job", "value (JSON)": "false" })).value).toBe("false")

    expect((await runMethod(page, "getOrSet", { key: "settings", "value (JSON)": '{"theme": "dark"}' })).value).toBe(
      '{"theme":"dark"}',
    )
    expect((await runMethod(page, "getOrSet", { key: "settings", "value (JSON)": '{"theme": "light"}' })).value).toBe(
      '{"theme":"dark"}',
    )

    expect((await runMethod(page, "touch", { key: "user:42", "timeout (s)": "null" })).value).toBe("true")
    await expect.poll(() => row.locator(".expiry").textContent(), SHOWN).toBe("never")
    expect((await runMethod(page, "touch", { key: "nobody", "timeout (s)": "5" })).value).toBe("false")
  })

  it("setMany, getMany, incr, decr, versions, delete, deleteMany and clear", async () => {
    const entries = '{"hits": 0, "a": 1, "b": [2, 3]}'
    expect(await runMethod(page, "setMany", { "entries (JSON object)": entries, "timeout (s)": "45" })).toMatchObject({
      state: "ok",
      value: "undefined",
    })
    await entryRow(page, "b").waitFor(SHOWN)
    expect((await runMethod(page, "getMany", { keys: "a, b, missing" })).value).toBe('{"a":1,"b":[2,3]}')
    expect((await runMethod(page, "getMany", { keys: '["hits"]' })).value).toBe('{"hits":0}')

    expect((await runMethod(page, "incr", { key: "hits", delta: "5" })).value).toBe("5")
    expect((await runMethod(page, "decr", { key: "hits", delta: "2" })).value).toBe("3")
    await expect.poll(() => entryRow(page, "hits").locator(".value").textContent(), SHOWN).toBe("3")

    // Inputs keep what was typed: each versioned call below is followed by one that empties its version.
    await runMethod(page, "set", { key: "v", "value (JSON)": '"two"', "timeout (s)": "", version: "2" })
    await entryRow(page, "v", "2").waitFor(SHOWN)
    expect((await runMethod(page, "get", { key: "v", version: "2" })).value).toBe('"two"')
    expect((await runMethod(page, "get", { key: "v", version: "" })).value).toBe("undefined")
    expect((await runMethod(page, "set", { key: "v", "value (JSON)": '"none"', version: "" })).state).toBe("ok")
    await entryRow(page, "v", "").waitFor(SHOWN)
    expect(await entryRow(page, "v", "2").count()).toBe(1)

    expect((await runMethod(page, "delete", { key: "a" })).value).toBe("true")
    await entryRow(page, "a").waitFor({ state: "detached", ...SHOWN })
    expect((await runMethod(page, "delete", { key: "a" })).value).toBe("false")
    expect((await runMethod(page, "deleteMany", { keys: "b, hits, nope" })).value).toBe("2")
    await entryRow(page, "hits").waitFor({ state: "detached", ...SHOWN })

    expect(await runMethod(page, "clear")).toMatchObject({ state: "ok", value: "undefined" })
    await page.locator("#entries-empty").waitFor({ state: "visible", ...SHOWN })
    expect(await page.locator("#entries-body tr").count()).toBe(0)
  })

  it("shows the library's error for bad input, and a clear message for invalid JSON", async () => {
    const timeoutZero = await runMethod(page, "set", { key: "k", "value (JSON)": "1", "timeout (s)": "0" })
    expect(timeoutZero).toMatchObject({ state: "error", errorName: "InvalidArgumentError" })
    expect(timeoutZero.errorCode).toBe("ERR_INVALID_ARGUMENT")
    expect(timeoutZero.message).toMatch(/timeout must be a positive number/)

    const badJson = await runMethod(page, "set", { key: "k", "value (JSON)": "hello", "timeout (s)": "" })
    expect(badJson).toMatchObject({ state: "error", errorName: "InputError", errorCode: null })
    expect(badJson.message).toMatch(/value is not valid JSON/)

    expect(await runMethod(page, "incr", { key: "missing", delta: "1" })).toMatchObject({
      errorName: "KeyNotFoundError",
      errorCode: "ERR_KEY_NOT_FOUND",
    })
    await runMethod(page, "set", { key: "word", "value (JSON)": '"text"' })
    expect(await runMethod(page, "decr", { key: "word", delta: "1" })).toMatchObject({
      errorName: "NotANumberError",
      errorCode: "ERR_NOT_A_NUMBER",
    })
    const badDelta = await runMethod(page, "incr", { key: "word", delta: "lots" })
    expect(badDelta).toMatchObject({ errorName: "InvalidArgumentError", errorCode: "ERR_INVALID_ARGUMENT" })
    expect(badDelta.message).toMatch(/delta must be a finite number, got the string "lots"/)
    expect((await runMethod(page, "getMany", { keys: "[1, 2]" })).message).toMatch(/keys\[0\] must be a string/)
    expect((await runMethod(page, "deleteMany", { keys: "[nope" })).errorName).toBe("InputError")
    expect((await runMethod(page, "setMany", { "entries (JSON object)": "42" })).errorName).toBe("InvalidArgumentError")
    expect((await runMethod(page, "get", { key: "k", version: "", "default (JSON)": "{oops" })).errorName).toBe(
      "InputError",
    )

    // A bad default in the settings keeps the old cache.
    const rejected = await recreateCache(page, "-1", "")
    expect(rejected).toMatchObject({ state: "error", errorName: "InvalidArgumentError" })
    expect(rejected.message).toMatch(/options\.timeout/)
    expect(await page.locator("#status-timeout").textContent()).toBe("never")

    // And the page still works.
    expect((await runMethod(page, "get", { key: "word", "default (JSON)": "" })).value).toBe('"text"')
  })

  it("drops an entry from the live view when it expires, and sweep deletes it from storage", async () => {
    // A fresh cache sweeps once on connect, then not for a minute: the expired entry waits for our sweep.
    expect(await recreateCache(page, "", "")).toMatchObject({ state: "ok" })
    await runMethod(page, "clear")
    expect(await runMethod(page, "set", { key: "flash", "value (JSON)": "1", "timeout (s)": "1.5" })).toMatchObject({
      state: "ok",
    })
    const row = entryRow(page, "flash")
    await row.waitFor(SHOWN)
    const left = Number.parseFloat((await row.locator(".expiry").textContent()) ?? "")
    expect(left).toBeLessThanOrEqual(1.5)
    await row.waitFor({ state: "detached", ...SHOWN })
    await expect
      .poll(() => page.locator("#entries-note").textContent(), SHOWN)
      .toMatch(/1 expired entry is still stored/)
    expect((await runMethod(page, "get", { key: "flash", "default (JSON)": '"gone"' })).value).toBe('"gone"')
    expect((await runMethod(page, "sweep")).value).toBe("1")
    await expect.poll(() => page.locator("#entries-note").textContent(), SHOWN).toBe("")
  })

  it("disconnect and connect: the entries stay, and a call after disconnect reconnects", async () => {
    await runMethod(page, "set", { key: "kept", "value (JSON)": '"yes"', "timeout (s)": "" })
    expect(await runMethod(page, "disconnect")).toMatchObject({ state: "ok", value: "undefined" })
    await entryRow(page, "kept").waitFor(SHOWN)
    expect((await runMethod(page, "get", { key: "kept" })).value).toBe('"yes"')
    expect(await runMethod(page, "disconnect")).toMatchObject({ state: "ok" })
    expect(await runMethod(page, "connect")).toMatchObject({ state: "ok", value: "undefined" })
    expect(await page.locator("#status-store").textContent()).toBe("indexeddb")
  })

  it("re-creates the cache with new default timeout and version", async () => {
    expect(await recreateCache(page, "30", "v2")).toMatchObject({ state: "ok", value: "✓ re-created" })
    expect(await page.locator("#status-timeout").textContent()).toBe("30 s")
    expect(await page.locator("#status-version").textContent()).toBe('"v2"')

    await runMethod(page, "set", { key: "defaults", "value (JSON)": "1", "timeout (s)": "", version: "" })
    const row = entryRow(page, "defaults", "v2")
    await row.waitFor(SHOWN)
    expect(await row.locator(".expiry").textContent()).toMatch(/^\d+\.\d s$/)

    expect(await recreateCache(page, "", "")).toMatchObject({ state: "ok" })
    expect(await page.locator("#status-version").textContent()).toBe("none")
  })

  it("caches API responses with getOrSet and keeps serving them with the API switched off", async () => {
    const latest = page.locator("#api-latest")
    expect(await fetchQuote(page, 3)).toMatchObject({ outcome: "miss", badge: "MISS" })
    const servedAt = await latest.getAttribute("data-served-at")
    expect(servedAt).toBeTruthy()
    await entryRow(page, "/api/quote?id=3").waitFor(SHOWN)
    expect(await fetchQuote(page, 3)).toMatchObject({ outcome: "hit", badge: "HIT" })
    expect(await latest.getAttribute("data-served-at")).toBe(servedAt)

    await page.getByLabel(/mock API/).uncheck()
    await expect.poll(() => page.locator("#api-status").textContent(), SHOWN).toMatch(/^offline/)
    expect(await (await fetch(new URL("/api/__status", url))).json()).toEqual({ online: false })

    expect(await fetchQuote(page, 3)).toMatchObject({ outcome: "hit", badge: "HIT" })
    expect(await latest.getAttribute("data-served-at")).toBe(servedAt)
    expect(await latest.getAttribute("data-quote")).toBe("3")
    const uncached = await fetchQuote(page, 4)
    expect(uncached).toMatchObject({ outcome: "error", badge: "MISS" })
    expect(uncached.detail).toMatch(/ApiError: .*switched off/)
    expect(await entryRow(page, "/api/quote?id=4").count()).toBe(0)

    await page.getByLabel(/mock API/).check()
    await expect.poll(() => page.locator("#api-status").textContent(), SHOWN).toBe("online")
    expect(await fetchQuote(page, 4)).toMatchObject({ outcome: "miss" })
    await page.getByLabel("quote", { exact: true }).selectOption("3")
    await page.getByRole("button", { name: "Forget this URL" }).click()
    await entryRow(page, "/api/quote?id=3").waitFor({ state: "detached", ...SHOWN })
    expect(await fetchQuote(page, 3)).toMatchObject({ outcome: "miss" })
    expect(await latest.getAttribute("data-served-at")).not.toBe(servedAt)
  })

  it("a second tab sees the same entries, and incr in both tabs loses no click", async () => {
    const second = await openDemo(context, url, problems)
    try {
      // Chromium hardly paints a tab in the background, and Playwright waits for paints before a normal
      // click: so the tab in use is brought to the front, as a person would.
      await page.bringToFront()
      await runMethod(page, "set", { key: "from-tab-1", "value (JSON)": '"hello"', "timeout (s)": "" })
      await entryRow(second, "from-tab-1").waitFor(SHOWN)
      await second.bringToFront()
      await runMethod(second, "set", { key: "from-tab-2", "value (JSON)": '"hi"', "timeout (s)": "" })
      await entryRow(page, "from-tab-2").waitFor(SHOWN)

      const clicks = 15
      const clickAway = async (tab: Page): Promise<void> => {
        const button = tab.getByRole("button", { name: "incr", exact: true })
        // Both tabs click at once, so one is in the background, where Playwright's clicks wait for paints;
        // and the live view above the button grows meanwhile, which could move it from under a click at
        // fixed coordinates. So the click is dispatched on the button itself.
        for (let i = 0; i < clicks; i++) await button.dispatchEvent("click")
      }
      await Promise.all([clickAway(page), clickAway(second)])
      for (const tab of [page, second]) {
        expect(await tab.locator("#counter-clicks").textContent()).toBe(String(clicks))
        await expect.poll(() => tab.locator("#counter-value").textContent(), SHOWN).toBe(String(2 * clicks))
        await expect.poll(() => tab.locator("#counter-result").getAttribute("data-runs"), SHOWN).toBe(String(clicks))
        expect(await tab.locator("#counter-result").getAttribute("data-state")).toBe("ok")
      }
    } finally {
      await second.close()
    }
  })

  it("looks clean at desktop and phone widths, every input labelled (screenshots in test-results/)", async () => {
    mkdirSync(screenshots, { recursive: true })
    // A representative page, reloaded (which must work too): a few entries with countdowns, a fetched
    // quote (a miss, then a hit), a shared counter.
    await page.reload()
    await page.locator("body[data-ready]").waitFor()
    await runMethod(page, "clear")
    await runMethod(page, "set", {
      key: "user:42",
      "value (JSON)": '{"name": "Ada", "langs": ["en", "fr"]}',
      "timeout (s)": "30",
    })
    await runMethod(page, "setMany", {
      "entries (JSON object)": '{"hits": 0, "a": 1, "b": [2, 3]}',
      "timeout (s)": "45",
    })
    await runMethod(page, "get", { key: "user:42", "default (JSON)": "", version: "" })
    await fetchQuote(page, 1)
    await fetchQuote(page, 1)
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "incr", exact: true }).click()
    await expect.poll(() => page.locator("#counter-value").textContent(), SHOWN).toBe("3")
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: join(screenshots, "demo.png") })

    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select, textarea")]
        .filter((field) => !(field as HTMLInputElement).labels?.length)
        .map((field) => field.outerHTML),
    )
    expect(unlabelled).toEqual([])

    await page.setViewportSize({ width: 390, height: 844 })
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), SHOWN).toBeLessThanOrEqual(390)
    await page.screenshot({ path: join(screenshots, "demo-phone.png") })
    await page.setViewportSize({ width: 1280, height: 900 })
  })
})

describe("npm run build:demo", () => {
  it("builds a static copy of the demo", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "isocache-demo-"))
    try {
      await build({ configFile: demoConfig, logLevel: "warn", build: { outDir, emptyOutDir: true } })
      expect(existsSync(join(outDir, "index.html"))).toBe(true)
      expect(readdirSync(join(outDir, "assets")).some((file) => file.endsWith(".js"))).toBe(true)
    } finally {
      rmSync(outDir, { recursive: true, force: true })
    }
  })
})
