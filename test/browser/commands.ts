// Browser commands: run on the Node side of a Vitest browser test, in whichever engine runs it, through
// the engine interface of test/engines (the Vitest provider hands it over with the test page's origin).
import type { BrowserCommand } from "vitest/node"
import type { EngineName, Tab } from "../engines/index.ts"
import { type PageProblems, readProblems } from "../engines/problems.ts"
import type { EngineCommandsContext } from "../engines/vitest-provider.ts"

type Context = Parameters<BrowserCommand>[0] & Partial<EngineCommandsContext>

function engineOf(ctx: Context): EngineCommandsContext {
  if (!ctx.engine || !ctx.origin) throw new Error("browser commands need the engine provider (test/engines)")
  return { engine: ctx.engine, origin: ctx.origin }
}

/**
 * The test's origin, or with `site` another origin served by the same dev server,
 * `http://<site>.localhost:<port>`: its storage (IndexedDB, quota) is its own, and fresh for a new
 * `site`.
 */
function originOf(ctx: Context, site?: string): string {
  const url = new URL(engineOf(ctx).origin)
  return site === undefined ? url.origin : `${url.protocol}//${site}.localhost:${url.port}`
}

/** What a watched tab wrote to its console (errors and warnings), and what it failed to handle. */
export type TabProblems = PageProblems

// Imports a module through the dev server in the tab and calls one of its exports.
const callExport = `async (modulePath, exportName, args) => {
  const module = await import(modulePath)
  return module[exportName](...args)
}`

/** A new tab (a window of its own) on the test server's blank page of `origin`, which watches for problems. */
async function openTab(ctx: Context, site?: string): Promise<Tab> {
  return engineOf(ctx).engine.openTab(`${originOf(ctx, site)}/__tab__`)
}

/**
 * Opens a second tab (same origin, same IndexedDB), imports a module through the Vitest dev server
 * there, calls one of its exports with `args`, and returns the JSON-serialisable result.
 */
const runInNewTab: BrowserCommand<[modulePath: string, exportName: string, args: unknown[]]> = async (
  ctx,
  modulePath,
  exportName,
  args,
) => {
  const tab = await openTab(ctx)
  try {
    return await tab.call(callExport, [modulePath, exportName, args])
  } finally {
    await tab.close()
  }
}

/**
 * Opens one tab per entry of `argsPerTab`, one after the other (WebKitWebDriver loses windows that
 * are created at once), then calls the export in every tab at the same time and returns their
 * results in order.
 */
const runInTabs: BrowserCommand<[modulePath: string, exportName: string, argsPerTab: unknown[][]]> = async (
  ctx,
  modulePath,
  exportName,
  argsPerTab,
) => {
  const tabs: Tab[] = []
  try {
    for (const _ of argsPerTab) tabs.push(await openTab(ctx))
    return await Promise.all(tabs.map((tab, i) => tab.call(callExport, [modulePath, exportName, argsPerTab[i]])))
  } finally {
    for (const tab of tabs) await tab.close()
    // WebKitGTK ends a closed window's pages a moment later: a window opened before that can vanish.
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/**
 * Deletes an IndexedDB database as the browser's own tools do: the browser force-closes the
 * connections open on it (their `close` event fires). Chromium deletes that one database (DevTools
 * protocol); Firefox and WebKit clear the origin's storage (`Clear-Site-Data: "storage"`).
 */
const forceDeleteDatabase: BrowserCommand<[databaseName: string]> = async (ctx, databaseName) => {
  const { engine, origin } = engineOf(ctx)
  await engine.forceDeleteDatabase(origin, databaseName)
}

/**
 * Like `runInNewTab`, but also reports what the tab wrote to its console (errors and warnings), its
 * uncaught errors and its unhandled rejections, which the test page's console guard cannot see.
 * With `site`, the tab is of another origin (see originOf).
 */
const runInWatchedTab: BrowserCommand<
  [modulePath: string, exportName: string, args: unknown[], site?: string]
> = async (ctx, modulePath, exportName, args, site) => {
  const tab = await openTab(ctx, site)
  try {
    const result: unknown = await tab.call(callExport, [modulePath, exportName, args])
    return { result, problems: await tab.call<TabProblems>(readProblems) }
  } finally {
    await tab.close()
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
  const tab = await openTab(ctx)
  try {
    await tab.call(callExport, [modulePath, startExport, args])
    await tab.call(
      `(n) => new Promise((resolve, reject) => {
        const started = Date.now()
        const check = () => {
          if ((globalThis.__progress ?? 0) >= n) resolve(true)
          else if (Date.now() - started > 30000) reject(new Error("progress stayed below " + n))
          else setTimeout(check, 1)
        }
        check()
      })`,
      [closeAt],
    )
    return await tab.call("() => globalThis.__report()")
  } finally {
    await tab.close()
  }
}

/**
 * Limits the storage quota of the test's origin, or of `site` (see originOf), in bytes; `null` lifts
 * the limit. Call it before the origin's first write (Chromium's IndexedDB caches the space left for
 * 30 s; Firefox gives the origin a browser of its own). WebKit cannot: see `engineInfo`.
 */
const overrideQuota: BrowserCommand<[quotaSize: number | null, site?: string]> = async (ctx, quotaSize, site) => {
  await engineOf(ctx).engine.setQuota(originOf(ctx, site), quotaSize)
}

/** The engine running the test, its version, and why it cannot lower a quota (`null` when it can). */
const engineInfo: BrowserCommand<[]> = async (ctx) => {
  const { engine } = engineOf(ctx)
  return { name: engine.name, version: engine.version, quotaUnsupported: engine.quotaUnsupported }
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
  runInTabs,
  forceDeleteDatabase,
  runInWatchedTab,
  closeTabDuring,
  overrideQuota,
  engineInfo,
  reliabilitySettings,
  writeReliabilityReport,
}

declare module "vitest/browser" {
  interface BrowserCommands {
    runInNewTab: <T = unknown>(modulePath: string, exportName: string, args: unknown[]) => Promise<T>
    runInTabs: <T = unknown>(modulePath: string, exportName: string, argsPerTab: unknown[][]) => Promise<T[]>
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
    engineInfo: () => Promise<{ name: EngineName; version: string; quotaUnsupported: string | null }>
    reliabilitySettings: () => Promise<{ full: boolean; report: boolean; seed: number | null }>
    writeReliabilityReport: (name: string, figures: unknown) => Promise<void>
  }
}
