// The demo SPA, end to end: its own Vite server, each engine (test/engines), and every method used
// through the page as a person would. Any console error or warning, or uncaught page error, fails.
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { createServer, type Plugin, type ViteDevServer } from "vite"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type Engine, launchEngine } from "../engines/index.ts"
import { problemsScript } from "../engines/problems.ts"
import { DemoPage, entryRow, SHOWN_MS } from "./demo-page.ts"
import { engineName } from "./engine.ts"

const demoConfig = fileURLToPath(new URL("../../demo/vite.config.ts", import.meta.url))
const screenshots = fileURLToPath(new URL("../../test-results/", import.meta.url))
const SHOWN = { timeout: SHOWN_MS }

// The page records its own console errors, uncaught errors and unhandled rejections (problems.ts).
const recordProblems: Plugin = {
  name: "isocache:record-problems",
  transformIndexHtml: (html) => html.replace("<head>", `<head>${problemsScript}`),
}

describe(`demo SPA in ${engineName}`, () => {
  let server: ViteDevServer
  let url: string
  let engine: Engine
  let page: DemoPage
  const tabs: DemoPage[] = []

  beforeAll(async () => {
    server = await createServer({
      configFile: demoConfig,
      logLevel: "warn",
      clearScreen: false,
      plugins: [recordProblems],
      server: { port: 0, strictPort: false, hmr: false },
    })
    await server.listen()
    const local = server.resolvedUrls?.local[0]
    if (!local) throw new Error("the demo server has no local URL")
    url = local
    engine = await launchEngine(engineName)
    page = await DemoPage.open(engine, url)
    tabs.push(page)
  })

  afterAll(async () => {
    await engine?.close()
    await server?.close()
  })

  afterEach(async () => {
    for (const tab of tabs) {
      expect(await tab.problems(), "console errors or page errors").toEqual({
        console: [],
        pageErrors: [],
        unhandledRejections: [],
      })
    }
  })

  it("serves the page from the library's source, on IndexedDB, showing the cache's defaults", async () => {
    await expect.poll(() => page.text("#status-store"), SHOWN).toBe("indexeddb")
    expect(await page.text("#status-database")).toBe("isocache:demo")
    expect(await page.text("#status-timeout")).toBe("never")
    expect(await page.text("#status-version")).toBe("none")
    expect(await page.visible("#entries-empty")).toBe(true)
  })

  it("set, get, add, getOrSet and touch show their results, and the live view follows", async () => {
    const set = await page.runMethod("set", { key: "user:42", "value (JSON)": '{"name": "Ada"}', "timeout (s)": "30" })
    expect(set).toMatchObject({ state: "ok", value: "undefined" })
    const row = entryRow("user:42")
    await page.waitFor(row)
    expect(await page.text(`${row} .value`)).toBe('{"name":"Ada"}')
    expect(await page.text(`${row} .expiry`)).toMatch(/^\d+\.\d s$/)

    expect(await page.runMethod("get", { key: "user:42" })).toMatchObject({ state: "ok", value: '{"name":"Ada"}' })
    expect(await page.runMethod("get", { key: "nobody", "default (JSON)": '"none"' })).toMatchObject({
      value: '"none"',
    })
    expect((await page.runMethod("get", { key: "nobody", "default (JSON)": "" })).value).toBe("undefined")

    expect((await page.runMethod("add", { key: "lock:job", "value (JSON)": "true" })).value).toBe("true")
    expect((await page.runMethod("add", { key: "lock:job", "value (JSON)": "false" })).value).toBe("false")

    expect((await page.runMethod("getOrSet", { key: "settings", "value (JSON)": '{"theme": "dark"}' })).value).toBe(
      '{"theme":"dark"}',
    )
    expect((await page.runMethod("getOrSet", { key: "settings", "value (JSON)": '{"theme": "light"}' })).value).toBe(
      '{"theme":"dark"}',
    )

    expect((await page.runMethod("touch", { key: "user:42", "timeout (s)": "null" })).value).toBe("true")
    await expect.poll(() => page.text(`${row} .expiry`), SHOWN).toBe("never")
    expect((await page.runMethod("touch", { key: "nobody", "timeout (s)": "5" })).value).toBe("false")
  })

  it("setMany, getMany, incr, decr, versions, delete, deleteMany and clear", async () => {
    const entries = '{"hits": 0, "a": 1, "b": [2, 3]}'
    expect(await page.runMethod("setMany", { "entries (JSON object)": entries, "timeout (s)": "45" })).toMatchObject({
      state: "ok",
      value: "undefined",
    })
    await page.waitFor(entryRow("b"))
    expect((await page.runMethod("getMany", { keys: "a, b, missing" })).value).toBe('{"a":1,"b":[2,3]}')
    expect((await page.runMethod("getMany", { keys: '["hits"]' })).value).toBe('{"hits":0}')

    expect((await page.runMethod("incr", { key: "hits", delta: "5" })).value).toBe("5")
    expect((await page.runMethod("decr", { key: "hits", delta: "2" })).value).toBe("3")
    await expect.poll(() => page.text(`${entryRow("hits")} .value`), SHOWN).toBe("3")

    // Inputs keep what was typed: each versioned call below is followed by one that empties its version.
    await page.runMethod("set", { key: "v", "value (JSON)": '"two"', "timeout (s)": "", version: "2" })
    await page.waitFor(entryRow("v", "2"))
    expect((await page.runMethod("get", { key: "v", version: "2" })).value).toBe('"two"')
    expect((await page.runMethod("get", { key: "v", version: "" })).value).toBe("undefined")
    expect((await page.runMethod("set", { key: "v", "value (JSON)": '"none"', version: "" })).state).toBe("ok")
    await page.waitFor(entryRow("v", ""))
    expect(await page.count(entryRow("v", "2"))).toBe(1)

    expect((await page.runMethod("delete", { key: "a" })).value).toBe("true")
    await page.waitFor(entryRow("a"), "detached")
    expect((await page.runMethod("delete", { key: "a" })).value).toBe("false")
    expect((await page.runMethod("deleteMany", { keys: "b, hits, nope" })).value).toBe("2")
    await page.waitFor(entryRow("hits"), "detached")

    expect(await page.runMethod("clear")).toMatchObject({ state: "ok", value: "undefined" })
    await page.waitFor("#entries-empty", "visible")
    expect(await page.count("#entries-body tr")).toBe(0)
  })

  it("shows the library's error for bad input, and a clear message for invalid JSON", async () => {
    const timeoutZero = await page.runMethod("set", { key: "k", "value (JSON)": "1", "timeout (s)": "0" })
    expect(timeoutZero).toMatchObject({ state: "error", errorName: "InvalidArgumentError" })
    expect(timeoutZero.errorCode).toBe("ERR_INVALID_ARGUMENT")
    expect(timeoutZero.message).toMatch(/timeout must be a positive number/)

    const badJson = await page.runMethod("set", { key: "k", "value (JSON)": "hello", "timeout (s)": "" })
    expect(badJson).toMatchObject({ state: "error", errorName: "InputError", errorCode: null })
    expect(badJson.message).toMatch(/value is not valid JSON/)

    expect(await page.runMethod("incr", { key: "missing", delta: "1" })).toMatchObject({
      errorName: "KeyNotFoundError",
      errorCode: "ERR_KEY_NOT_FOUND",
    })
    await page.runMethod("set", { key: "word", "value (JSON)": '"text"' })
    expect(await page.runMethod("decr", { key: "word", delta: "1" })).toMatchObject({
      errorName: "NotANumberError",
      errorCode: "ERR_NOT_A_NUMBER",
    })
    const badDelta = await page.runMethod("incr", { key: "word", delta: "lots" })
    expect(badDelta).toMatchObject({ errorName: "InvalidArgumentError", errorCode: "ERR_INVALID_ARGUMENT" })
    expect(badDelta.message).toMatch(/delta must be a finite number, got the string "lots"/)
    expect((await page.runMethod("getMany", { keys: "[1, 2]" })).message).toMatch(/keys\[0\] must be a string/)
    expect((await page.runMethod("deleteMany", { keys: "[nope" })).errorName).toBe("InputError")
    expect((await page.runMethod("setMany", { "entries (JSON object)": "42" })).errorName).toBe("InvalidArgumentError")
    expect((await page.runMethod("get", { key: "k", version: "", "default (JSON)": "{oops" })).errorName).toBe(
      "InputError",
    )

    // A bad default in the settings keeps the old cache.
    const rejected = await page.recreateCache("-1", "")
    expect(rejected).toMatchObject({ state: "error", errorName: "InvalidArgumentError" })
    expect(rejected.message).toMatch(/options\.timeout/)
    expect(await page.text("#status-timeout")).toBe("never")

    // And the page still works.
    expect((await page.runMethod("get", { key: "word", "default (JSON)": "" })).value).toBe('"text"')
  })

  it("drops an entry from the live view when it expires, and sweep deletes it from storage", async () => {
    // A fresh cache sweeps once on connect, then not for a minute: the expired entry waits for our sweep.
    expect(await page.recreateCache("", "")).toMatchObject({ state: "ok" })
    await page.runMethod("clear")
    expect(await page.runMethod("set", { key: "flash", "value (JSON)": "1", "timeout (s)": "1.5" })).toMatchObject({
      state: "ok",
    })
    const row = entryRow("flash")
    await page.waitFor(row)
    const left = Number.parseFloat((await page.text(`${row} .expiry`)) ?? "")
    expect(left).toBeLessThanOrEqual(1.5)
    await page.waitFor(row, "detached")
    expect((await page.runMethod("get", { key: "flash", "default (JSON)": '"gone"' })).value).toBe('"gone"')
    expect((await page.runMethod("sweep")).value).toBe("1")
    expect((await page.runMethod("sweep")).value).toBe("0")
  })

  it("disconnect and connect: the entries stay, and a call after disconnect reconnects", async () => {
    await page.runMethod("set", { key: "kept", "value (JSON)": '"yes"', "timeout (s)": "" })
    expect(await page.runMethod("disconnect")).toMatchObject({ state: "ok", value: "undefined" })
    await page.waitFor(entryRow("kept"))
    expect((await page.runMethod("get", { key: "kept" })).value).toBe('"yes"')
    expect(await page.runMethod("disconnect")).toMatchObject({ state: "ok" })
    expect(await page.runMethod("connect")).toMatchObject({ state: "ok", value: "undefined" })
    expect(await page.text("#status-store")).toBe("indexeddb")
  })

  it("re-creates the cache with new default timeout and version", async () => {
    expect(await page.recreateCache("30", "v2")).toMatchObject({ state: "ok", value: "✓ re-created" })
    expect(await page.text("#status-timeout")).toBe("30 s")
    expect(await page.text("#status-version")).toBe('"v2"')

    await page.runMethod("set", { key: "defaults", "value (JSON)": "1", "timeout (s)": "", version: "" })
    const row = entryRow("defaults", "v2")
    await page.waitFor(row)
    expect(await page.text(`${row} .expiry`)).toMatch(/^\d+\.\d s$/)

    expect(await page.recreateCache("", "")).toMatchObject({ state: "ok" })
    expect(await page.text("#status-version")).toBe("none")
  })

  it("caches API responses with getOrSet and keeps serving them with the API switched off", async () => {
    const latest = "#api-latest"
    expect(await page.fetchQuote(3)).toMatchObject({ outcome: "miss", badge: "MISS" })
    const servedAt = await page.attr(latest, "data-served-at")
    expect(servedAt).toBeTruthy()
    await page.waitFor(entryRow("/api/quote?id=3"))
    expect(await page.fetchQuote(3)).toMatchObject({ outcome: "hit", badge: "HIT" })
    expect(await page.attr(latest, "data-served-at")).toBe(servedAt)

    await page.check("/mock API/", false)
    await expect.poll(() => page.text("#api-status"), SHOWN).toMatch(/^offline/)

    expect(await page.fetchQuote(3)).toMatchObject({ outcome: "hit", badge: "HIT" })
    expect(await page.attr(latest, "data-served-at")).toBe(servedAt)
    expect(await page.attr(latest, "data-quote")).toBe("3")
    const uncached = await page.fetchQuote(4)
    expect(uncached).toMatchObject({ outcome: "error", badge: "MISS" })
    expect(uncached.detail).toMatch(/ApiError: .*switched off/)
    expect(await page.count(entryRow("/api/quote?id=4"))).toBe(0)
    // The quote box no longer shows quote 3 as if it answered.
    expect(await page.attr(latest, "data-quote")).toBeNull()
    expect(await page.text(latest)).toMatch(/No quote for \/api\/quote\?id=4/)

    // The switch belongs to the page: another tab (a fresh page) starts online and is served.
    const fresh = await DemoPage.open(engine, url)
    expect(await fresh.text("#api-status")).toBe("online")
    expect(await fresh.fetchQuote(5)).toMatchObject({ outcome: "miss" })
    await fresh.tab.close()

    await page.check("/mock API/", true)
    await expect.poll(() => page.text("#api-status"), SHOWN).toBe("online")
    expect(await page.fetchQuote(4)).toMatchObject({ outcome: "miss" })
    await page.select("quote", "3")
    await page.click("Forget this URL")
    await page.waitFor(entryRow("/api/quote?id=3"), "detached")
    await expect.poll(() => page.text("#api-log li .detail"), SHOWN).toBe("delete: removed the live entry")
    expect(await page.fetchQuote(3)).toMatchObject({ outcome: "miss" })
    expect(await page.attr(latest, "data-served-at")).not.toBe(servedAt)
  })

  it("serves expired quotes stale within their windows, says how old, and fails past them", async () => {
    const latest = "#api-latest"
    const expire = () => new Promise((resolve) => setTimeout(resolve, 1_200))
    for (const id of ["1", "2", "3"]) {
      await page.select("quote", id)
      await page.click("Forget this URL")
    }
    await page.fill("timeout (s)", "1")
    await page.fill("stale while revalidate (s)", "")
    await page.fill("stale if error (s)", "300")
    expect(await page.fetchQuote(2)).toMatchObject({ outcome: "miss" })
    await page.fill("stale if error (s)", "")
    expect(await page.fetchQuote(1)).toMatchObject({ outcome: "miss" })
    await expire()
    await page.check("/mock API/", false)
    // Quote 2 expired within its staleIfError window: the API fails, the stale quote answers.
    const stale = await page.fetchQuote(2)
    expect(stale).toMatchObject({ outcome: "stale", badge: "STALE" })
    expect(stale.detail).toMatch(/stale, expired \d+ s ago/)
    expect(await page.attr(latest, "data-stale")).toBe("true")
    expect(await page.text(`${latest} .stale-note`)).toMatch(/STALE stale, expired \d+ s ago/)
    mkdirSync(screenshots, { recursive: true })
    writeFileSync(join(screenshots, `demo-stale-offline-${engineName}.png`), await page.tab.screenshot())
    // Quote 1 had no window: past its timeout it is a plain miss, and offline that fails.
    expect(await page.fetchQuote(1)).toMatchObject({ outcome: "error", badge: "MISS" })

    // Within staleWhileRevalidate: the stale quote at once, refreshed in the background.
    await page.check("/mock API/", true)
    await page.fill("stale while revalidate (s)", "300")
    expect(await page.fetchQuote(3)).toMatchObject({ outcome: "miss" })
    const servedAt = await page.attr(latest, "data-served-at")
    await expire()
    expect(await page.fetchQuote(3)).toMatchObject({ outcome: "stale", badge: "STALE" })
    expect(await page.attr(latest, "data-served-at")).toBe(servedAt)
    await expect.poll(async () => (await page.fetchQuote(3)).outcome, { timeout: 5_000, interval: 300 }).toBe("hit")
    expect(await page.attr(latest, "data-served-at")).not.toBe(servedAt)
    await page.fill("timeout (s)", "60")
    await page.fill("stale while revalidate (s)", "")
    await page.fill("stale if error (s)", "300")
  })

  it("a second tab sees the same entries, and incr in both tabs loses no click", async () => {
    const second = await DemoPage.open(engine, url)
    tabs.push(second)
    try {
      await page.runMethod("set", { key: "from-tab-1", "value (JSON)": '"hello"', "timeout (s)": "" })
      await second.waitFor(entryRow("from-tab-1"))
      await second.runMethod("set", { key: "from-tab-2", "value (JSON)": '"hi"', "timeout (s)": "" })
      await page.waitFor(entryRow("from-tab-2"))

      const clicks = 15
      // Both tabs click at once; each click is dispatched on the button itself.
      const clickAway = async (tab: DemoPage): Promise<void> => {
        for (let i = 0; i < clicks; i++) await tab.click("incr")
      }
      await Promise.all([clickAway(page), clickAway(second)])
      for (const tab of [page, second]) {
        expect(await tab.text("#counter-clicks")).toBe(String(clicks))
        await expect.poll(() => tab.text("#counter-value"), SHOWN).toBe(String(2 * clicks))
        await expect.poll(() => tab.attr("#counter-result", "data-runs"), SHOWN).toBe(String(clicks))
        expect(await tab.attr("#counter-result", "data-state")).toBe("ok")
      }
      expect(await second.problems()).toEqual({ console: [], pageErrors: [], unhandledRejections: [] })
    } finally {
      tabs.pop()
      await second.tab.close()
    }
  })

  it("a click in one tab shows in the other through change events, with no polling (screenshots of both tabs)", async () => {
    const second = await DemoPage.open(engine, url)
    tabs.push(second)
    try {
      const reads = async (tab: DemoPage): Promise<number> => Number(await tab.attr("#entries-body", "data-reads"))
      await second.waitFor(entryRow("counter"))
      // Idle: neither tab reads the cache while nothing changes.
      const idle = [await reads(page), await reads(second)]
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect([await reads(page), await reads(second)], "reads while idle").toEqual(idle)
      const before = Number(await second.text("#counter-value"))
      await page.click("incr")
      await expect.poll(() => second.text("#counter-value"), SHOWN).toBe(String(before + 1))
      expect(await reads(second)).toBeGreaterThan(idle[1] as number)
      await page.runMethod("set", { key: "in-step", "value (JSON)": '"from tab 1"', "timeout (s)": "" })
      await second.waitFor(entryRow("in-step"))
      mkdirSync(screenshots, { recursive: true })
      writeFileSync(join(screenshots, `demo-tab-1-${engineName}.png`), await page.tab.screenshot())
      writeFileSync(join(screenshots, `demo-tab-2-${engineName}.png`), await second.tab.screenshot())
    } finally {
      tabs.pop()
      await second.tab.close()
    }
  })

  it("looks clean at desktop and phone widths, every input labelled (screenshots in test-results/)", async () => {
    mkdirSync(screenshots, { recursive: true })
    // A representative page, reloaded (which must work too): a few entries with countdowns, a fetched
    // quote (a miss, then a hit), a shared counter.
    await page.tab.goto(url)
    await page.waitFor("body[data-ready]")
    await page.runMethod("clear")
    await page.runMethod("set", {
      key: "user:42",
      "value (JSON)": '{"name": "Ada", "langs": ["en", "fr"]}',
      "timeout (s)": "30",
    })
    await page.runMethod("setMany", {
      "entries (JSON object)": '{"hits": 0, "a": 1, "b": [2, 3]}',
      "timeout (s)": "45",
    })
    await page.runMethod("get", { key: "user:42", "default (JSON)": "", version: "" })
    await page.fetchQuote(1)
    await page.fetchQuote(1)
    for (let i = 0; i < 3; i++) await page.click("incr")
    await expect.poll(() => page.text("#counter-value"), SHOWN).toBe("3")
    await page.tab.call("() => window.scrollTo(0, 0)")
    writeFileSync(join(screenshots, `demo-${engineName}.png`), await page.tab.screenshot())

    expect(await page.unlabelled()).toEqual([])

    // A phone's width; MiniBrowser's window (WebKit) does not shrink past ~450 px, so the page is
    // checked at the narrowest width the engine gives: never wider than its viewport.
    await page.tab.setViewport(390, 844)
    const width = await page.innerWidth()
    expect(width).toBeLessThanOrEqual(engineName === "webkit" ? 480 : 390)
    await expect.poll(() => page.scrollWidth(), SHOWN).toBeLessThanOrEqual(width)
    writeFileSync(join(screenshots, `demo-phone-${engineName}.png`), await page.tab.screenshot())
    await page.tab.setViewport(1280, 900)
  })

  it("a bound re-creates the cache with maxEntries (the least recently written go); the header shows the storage use", async () => {
    await page.fill("max entries", "3")
    expect(await page.recreateCache("", "")).toMatchObject({ state: "ok", value: "✓ re-created" })
    expect(await page.text("#status-bound")).toBe("3")
    for (const key of ["b1", "b2", "b3", "b4"])
      await page.runMethod("set", { key, "value (JSON)": "1", "timeout (s)": "", version: "" })
    await expect.poll(() => page.count("#entries-body tr"), SHOWN).toBe(3)
    for (const key of ["b2", "b3", "b4"]) await page.waitFor(entryRow(key))
    await expect.poll(() => page.text("#status-usage"), SHOWN).toMatch(/^[\d.]+ MB of [\d.]+ MB|^not reported here$/)
    await page.click("Persist storage")
    await expect
      .poll(() => page.text("#settings-result"), SHOWN)
      .toMatch(/^(✓ storage persisted|the browser did not grant persistence)$/)
    await page.fill("max entries", "")
    expect(await page.recreateCache("", "")).toMatchObject({ state: "ok" })
    expect(await page.text("#status-bound")).toBe("unbounded")
  })
})
