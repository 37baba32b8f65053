// Firefox ESR through puppeteer-core over WebDriver BiDi (Debian has no geckodriver). Firefox has no
// per-origin quota override: an origin given a quota gets a browser of its own, on a profile whose
// temporary storage is capped by a pref, relaunched on the same profile to lift the cap.
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import puppeteer, { type Browser, type Page } from "puppeteer-core"
import { binaries } from "./binaries.mjs"
import { type Engine, type LaunchOptions, type Tab, unwrapCall, wrapCall } from "./types.ts"

const quotaPref = "dom.quotaManager.temporaryStorage.fixedLimit"

function launch(prefs: Record<string, unknown> = {}, userDataDir?: string): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: binaries.firefox.browser,
    headless: true,
    ...(userDataDir ? { userDataDir } : {}),
    extraPrefsFirefox: {
      "browser.shell.checkDefaultBrowser": false,
      // navigator.storage.persist() asks the user in Firefox; a headless run answers "allow" itself.
      "dom.storageManager.prompt.testing": true,
      "dom.storageManager.prompt.testing.allow": true,
      ...prefs,
    },
  })
}

function tabOf(page: Page): Tab {
  return {
    call: async <T>(fn: string, args: readonly unknown[] = []) =>
      unwrapCall<T>((await page.evaluate(wrapCall(fn, args))) as string),
    goto: async (url) => {
      await page.goto(url)
    },
    screenshot: () => page.screenshot(),
    setViewport: (width, height) => page.setViewport({ width, height }),
    close: () => page.close({ runBeforeUnload: false }),
  }
}

// Background tabs are throttled to one timer a second in Firefox: every tab is a window of its own.
async function openIn(browser: Browser, url: string): Promise<Tab> {
  const page = await browser.newPage({ type: "window" })
  await page.setViewport({ width: 1280, height: 900 })
  await page.goto(url)
  return tabOf(page)
}

/** Launches Debian's Firefox ESR. */
export async function launchFirefox(options: LaunchOptions = {}): Promise<Engine> {
  const browser = await launch()
  const version = await browser.version()
  // Origins with a quota of their own: their browser and its profile.
  const quotaBrowsers = new Map<string, { browser: Browser; profile: string }>()
  const browserFor = (url: string): Browser => quotaBrowsers.get(new URL(url).origin)?.browser ?? browser
  return {
    name: "firefox",
    version,
    openTab: (url) => openIn(browserFor(url), url),
    quotaUnsupported: null,
    async setQuota(origin, bytes) {
      const current = quotaBrowsers.get(origin)
      if (!current && bytes === null) return
      await current?.browser.close()
      const profile = current?.profile ?? mkdtempSync(join(tmpdir(), "isocache-firefox-quota-"))
      const kib = bytes === null ? -1 : Math.max(1, Math.floor(bytes / 1024))
      quotaBrowsers.set(origin, { browser: await launch({ [quotaPref]: kib }, profile), profile })
    },
    async forceDeleteDatabase(origin) {
      // Clear-Site-Data closes the origin's connections and deletes its databases, as "Forget about
      // this site" does: the whole origin's storage, not one database.
      if (!options.clearSiteDataPath) throw new Error("forceDeleteDatabase needs LaunchOptions.clearSiteDataPath")
      const tab = await openIn(browserFor(origin), new URL(options.clearSiteDataPath, origin).href)
      await tab.close()
    },
    async close() {
      for (const { browser: own, profile } of quotaBrowsers.values()) {
        await own.close().catch(() => {})
        rmSync(profile, { recursive: true, force: true })
      }
      await browser.close()
    },
  }
}
