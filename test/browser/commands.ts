// Browser commands: run on the Node side of a Vitest browser test, with the Playwright page and
// context of the test's session.
import type { BrowserCommand } from "vitest/node"

/**
 * Opens a second tab (a new page in the SAME browser context: same origin, same IndexedDB), imports
 * a module through the Vitest dev server there, calls one of its exports with `args`, and returns
 * the JSON-serialisable result. The tab is closed afterwards unless `keepOpen` is set.
 */
const runInNewTab: BrowserCommand<[modulePath: string, exportName: string, args: unknown[]]> = async (
  ctx,
  modulePath,
  exportName,
  args,
) => {
  if (ctx.provider.name !== "playwright") throw new Error("runInNewTab needs the playwright provider")
  const origin = new URL(ctx.page.url()).origin
  const page = await ctx.context.newPage()
  try {
    await page.route(`${origin}/__second_tab__`, (route) =>
      route.fulfill({ contentType: "text/html", body: "<!doctype html><title>second tab</title>" }),
    )
    await page.goto(`${origin}/__second_tab__`)
    return await page.evaluate(
      async ([m, e, a]) => {
        const mod = await import(/* @vite-ignore */ m)
        return mod[e](...a)
      },
      [modulePath, exportName, args] as [string, string, unknown[]],
    )
  } finally {
    await page.close()
  }
}

/**
 * Deletes an IndexedDB database through the DevTools protocol, as DevTools' "Delete database" does:
 * the browser force-closes the connections open on it (their `close` event fires).
 */
const forceDeleteDatabase: BrowserCommand<[databaseName: string]> = async (ctx, databaseName) => {
  if (ctx.provider.name !== "playwright") throw new Error("forceDeleteDatabase needs the playwright provider")
  const session = await ctx.context.newCDPSession(ctx.page)
  try {
    const securityOrigin = new URL(ctx.page.url()).origin
    await session.send("IndexedDB.deleteDatabase", { securityOrigin, databaseName })
  } finally {
    await session.detach()
  }
}

// ---------------------------------------------------------------------------------------------
// Commands of the reliability tests (test/reliability/).

type Context = Parameters<BrowserCommand>[0]

/**
 * The test's origin, or with `site` another origin served by the same dev server,
 * `http://<site>.localhost:<port>`: its storage (IndexedDB, quota) is its own, and fresh for a new
 * `site`.
 */
function originOf(ctx: Context, site?: string): string {
  const url = new URL(ctx.page.url())
  return site === undefined ? url.origin : `${url.protocol}//${site}.localhost:${url.port}`
}

/** What a watched tab wrote to its console (errors and warnings), and what it failed to handle. */
export interface TabProblems {
  readonly console: string[]
  readonly pageErrors: string[]
  readonly unhandledRejections: string[]
}

// A blank page of the test's origin (or of `site`, see originOf) in a new tab of the same context,
// watched for console errors and warnings, uncaught errors and unhandled rejections.
async function openWatchedTab(ctx: Context, site?: string) {
  if (ctx.provider.name !== "playwright") throw new Error("this command needs the playwright provider")
  const origin = originOf(ctx, site)
  const page = await ctx.context.newPage()
  const problems = { console: [] as string[], pageErrors: [] as string[] }
  page.on("console", (message) => {
    if (message.type() !== "error" && message.type() !== "warning") return
    // The dev server's HMR client sometimes cannot open its websocket from a second tab (Chromium's
    // local network access checks), on another origin always: test infrastructure noise, not the code
    // under test.
    if (message.location().url.includes("/@vite/client")) return
    problems.console.push(`${message.text()} (${message.location().url})`)
  })
  page.on("pageerror", (error) => problems.pageErrors.push(error.message))
  await page.route(`${origin}/__watched_tab__`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>watched tab</title>" }),
  )
  await page.goto(`${origin}/__watched_tab__`)
  await page.evaluate(() => {
    const seen: string[] = []
    ;(globalThis as { __unhandled?: string[] }).__unhandled = seen
    addEventListener("unhandledrejection", (event) => seen.push(String(event.reason)))
  })
  const collect = async (): Promise<TabProblems> => ({
    ...problems,
    unhandledRejections: await page.evaluate(() => (globalThis as { __unhandled?: string[] }).__unhandled ?? []),
  })
  return { page, collect }
}

/**
 * Like `runInNewTab`, but also reports what the tab wrote to its console (errors and warnings), its
 * uncaught errors and its unhandled rejections, which the test page's console guard cannot see.
 * With `site`, the tab is of another origin (see originOf).
 */
const runInWatchedTab: BrowserCommand<
  [modulePath: string, exportName: string, args: unknown[], site?: string]
> = async (ctx, modulePath, exportName, args, site) => {
  const { page, collect } = await openWatchedTab(ctx, site)
  try {
    const result: unknown = await page.evaluate(
      async ([m, e, a]) => {
        const mod = await import(/* @vite-ignore */ m)
        return mod[e](...a)
      },
      [modulePath, exportName, args] as [string, string, unknown[]],
    )
    // A rejection is reported as unhandled a task after it was left so.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)))
    return { result, problems: await collect() }
  } finally {
    await page.close()
  }
}

/**
 * Opens a tab, starts `startExport(...args)` there (it must return at once, leaving its work running
 * and counting progress in `globalThis.__progress`), waits until the progress reaches `closeAt`, then
 * closes the tab with the work still in flight, as a user closing it would. Returns what the tab
 * reported (`globalThis.__report()`) just before it was closed.
 */
const closeTabDuring: BrowserCommand<
  [modulePath: string, startExport: string, args: unknown[], closeAt: number]
> = async (ctx, modulePath, startExport, args, closeAt) => {
  const { page } = await openWatchedTab(ctx)
  try {
    await page.evaluate(
      async ([m, e, a]) => {
        const mod = await import(/* @vite-ignore */ m)
        await mod[e](...a)
      },
      [modulePath, startExport, args] as [string, string, unknown[]],
    )
    await page.waitForFunction((n) => ((globalThis as { __progress?: number }).__progress ?? 0) >= n, closeAt, {
      polling: 1,
      timeout: 30_000,
    })
    return (await page.evaluate(() => (globalThis as unknown as { __report: () => unknown }).__report())) as unknown
  } finally {
    await page.close({ runBeforeUnload: false })
  }
}

// The browser keeps a quota override only while the DevTools session that set it stays attached:
// one session per test session and origin, detached when its override is lifted.
const quotaSessions = new Map<string, import("playwright").CDPSession>()

/**
 * Overrides the storage quota of the test's origin, or of `site` (see originOf), as DevTools'
 * "simulate custom storage quota" does, in bytes; `null` lifts the override. Chromium's IndexedDB
 * caches the space left for 30 s, so override before the origin's first write to see it at once.
 */
const overrideQuota: BrowserCommand<[quotaSize: number | null, site?: string]> = async (ctx, quotaSize, site) => {
  if (ctx.provider.name !== "playwright") throw new Error("overrideQuota needs the playwright provider")
  const origin = originOf(ctx, site)
  const id = `${ctx.sessionId} ${origin}`
  let session = quotaSessions.get(id)
  if (!session) {
    if (quotaSize === null) return
    session = await ctx.context.newCDPSession(ctx.page)
    quotaSessions.set(id, session)
  }
  if (quotaSize !== null) {
    await session.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: Math.floor(quotaSize) })
    return
  }
  quotaSessions.delete(id)
  try {
    await session.send("Storage.overrideQuotaForOrigin", { origin })
  } finally {
    await session.detach()
  }
}

/** The storage usage and quota of the test's origin (or of `site`), as the quota manager counts them. */
const storageUsage: BrowserCommand<[site?: string]> = async (ctx, site) => {
  if (ctx.provider.name !== "playwright") throw new Error("storageUsage needs the playwright provider")
  const session = await ctx.context.newCDPSession(ctx.page)
  try {
    const { usage, quota, overrideActive } = await session.send("Storage.getUsageAndQuota", {
      origin: originOf(ctx, site),
    })
    return { usage, quota, overrideActive }
  } finally {
    await session.detach()
  }
}

/** The reliability tests' settings, from the environment of the Node process running Vitest. */
const reliabilitySettings: BrowserCommand<[]> = async () => ({
  full: process.env.RELIABILITY_FULL === "1",
  report: process.env.RELIABILITY_REPORT === "1",
  seed: process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : null,
})

/** With RELIABILITY_REPORT=1, writes a reliability test's figures to test-results/reliability/<name>.json. */
const writeReliabilityReport: BrowserCommand<[name: string, figures: unknown]> = async (_ctx, name, figures) => {
  if (process.env.RELIABILITY_REPORT !== "1") return
  const { mkdirSync, writeFileSync } = await import("node:fs")
  mkdirSync("test-results/reliability", { recursive: true })
  writeFileSync(`test-results/reliability/${name}.json`, `${JSON.stringify(figures, null, 2)}\n`)
}

export const browserCommands = {
  runInNewTab,
  forceDeleteDatabase,
  runInWatchedTab,
  closeTabDuring,
  overrideQuota,
  storageUsage,
  reliabilitySettings,
  writeReliabilityReport,
}

declare module "vitest/browser" {
  interface BrowserCommands {
    runInNewTab: <T = unknown>(modulePath: string, exportName: string, args: unknown[]) => Promise<T>
    forceDeleteDatabase: (databaseName: string) => Promise<void>
    runInWatchedTab: <T = unknown>(
      modulePath: string,
      exportName: string,
      args: unknown[],
      site?: string,
    ) => Promise<{ result: T; problems: TabProblems }>
    closeTabDuring: <T = unknown>(
      modulePath: string,
      startExport: string,
      args: unknown[],
      closeAt: number,
    ) => Promise<T>
    overrideQuota: (quotaSize: number | null, site?: string) => Promise<void>
    storageUsage: (site?: string) => Promise<{ usage: number; quota: number; overrideActive: boolean }>
    reliabilitySettings: () => Promise<{ full: boolean; report: boolean; seed: number | null }>
    writeReliabilityReport: (name: string, figures: unknown) => Promise<void>
  }
}
