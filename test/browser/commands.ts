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

export const browserCommands = { runInNewTab, forceDeleteDatabase }

declare module "vitest/browser" {
  interface BrowserCommands {
    runInNewTab: <T = unknown>(modulePath: string, exportName: string, args: unknown[]) => Promise<T>
    forceDeleteDatabase: (databaseName: string) => Promise<void>
  }
}
