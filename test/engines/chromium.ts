// Chromium through Playwright (Debian's binary via `executablePath`); quota and forced deletes through
// the DevTools protocol.
import { type CDPSession, chromium, type Page } from "playwright"
import { binaries, chromiumArgs } from "./binaries.mjs"
import { type Engine, type Tab, unwrapCall, wrapCall } from "./types.ts"

function tabOf(page: Page): Tab {
  return {
    call: async <T>(fn: string, args: readonly unknown[] = []) =>
      unwrapCall<T>((await page.evaluate(wrapCall(fn, args))) as string),
    goto: async (url) => {
      await page.goto(url)
    },
    screenshot: () => page.screenshot(),
    setViewport: (width, height) => page.setViewportSize({ width, height }),
    close: () => page.close({ runBeforeUnload: false }),
  }
}

/** Launches Debian's Chromium. */
export async function launchChromium(): Promise<Engine> {
  const browser = await chromium.launch({ executablePath: binaries.chromium.browser, args: chromiumArgs })
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  // The browser keeps a quota override only while the DevTools session that set it stays attached.
  const quotaSessions = new Map<string, CDPSession>()
  const anyPage = async (): Promise<Page> => context.pages()[0] ?? (await context.newPage())
  return {
    name: "chromium",
    version: browser.version(),
    openTab: async (url) => {
      const page = await context.newPage()
      await page.goto(url)
      return tabOf(page)
    },
    quotaUnsupported: null,
    async setQuota(origin, bytes) {
      let session = quotaSessions.get(origin)
      if (!session) {
        if (bytes === null) return
        session = await context.newCDPSession(await anyPage())
        quotaSessions.set(origin, session)
      }
      if (bytes !== null) {
        await session.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: Math.floor(bytes) })
        return
      }
      quotaSessions.delete(origin)
      try {
        await session.send("Storage.overrideQuotaForOrigin", { origin })
      } finally {
        await session.detach()
      }
    },
    async forceDeleteDatabase(origin, databaseName) {
      const session = await context.newCDPSession(await anyPage())
      try {
        await session.send("IndexedDB.deleteDatabase", { securityOrigin: origin, databaseName })
      } finally {
        await session.detach()
      }
    },
    close: () => browser.close(),
  }
}
