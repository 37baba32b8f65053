// A Vitest browser provider over any engine of ./index.ts, so that the browser test files run
// unchanged in Chromium, Firefox and WebKit, and the browser commands reach every engine through one
// interface. Files run one after another in one test page (no parallel pages).
import { defineBrowserProvider } from "@vitest/browser"
import type { Plugin } from "vite"
import type { BrowserProvider, BrowserProviderOption, TestProject } from "vitest/node"
import { type Engine, type EngineName, launchEngine, type Tab } from "./index.ts"
import { problemsScript } from "./problems.ts"

/** The test server's page that answers `Clear-Site-Data: "storage"` (see testPages). */
export const clearSiteDataPath = "/__clear_site_data__"

/** What the browser commands receive beside Vitest's own context (see test/browser/commands.ts). */
export interface EngineCommandsContext {
  readonly engine: Engine
  /** The test page's origin. */
  readonly origin: string
}

class EngineProvider implements BrowserProvider {
  readonly name: string
  readonly supportsParallelism = false
  private engine: Promise<Engine> | null = null
  private readonly pages = new Map<string, { tab: Tab; origin: string }>()
  private engineNow: Engine | null = null

  constructor(private readonly engineName: EngineName) {
    this.name = `engine-${engineName}`
  }

  private launched(): Promise<Engine> {
    this.engine ??= launchEngine(this.engineName, { clearSiteDataPath }).then((engine) => {
      this.engineNow = engine
      return engine
    })
    return this.engine
  }

  async openPage(sessionId: string, url: string): Promise<void> {
    const engine = await this.launched()
    const previous = this.pages.get(sessionId)
    if (previous) {
      await previous.tab.goto(url)
      return
    }
    this.pages.set(sessionId, { tab: await engine.openTab(url), origin: new URL(url).origin })
  }

  getCommandsContext(sessionId: string): Record<string, unknown> {
    const page = this.pages.get(sessionId)
    if (!page || !this.engineNow) throw new Error(`no page for session ${sessionId}`)
    const context: EngineCommandsContext = { engine: this.engineNow, origin: page.origin }
    return { ...context }
  }

  async close(): Promise<void> {
    const engine = this.engine
    this.engine = null
    this.pages.clear()
    await (await engine?.catch(() => null))?.close()
  }
}

/** The Vitest provider option for `engine` (one browser instance named after the engine). */
export function engineProvider(engine: EngineName): BrowserProviderOption {
  return defineBrowserProvider({
    name: `engine-${engine}`,
    supportedBrowser: [engine],
    options: {},
    providerFactory: (_project: TestProject) => new EngineProvider(engine),
  })
}

// A blank page for the tabs that tests open, recording what goes wrong in it (see problems.ts).
const tabPage = `<!doctype html><meta charset="utf-8"><title>test tab</title>${problemsScript}`

/** The test server's extra pages: `/__tab__` (see tabPage) and the Clear-Site-Data page. */
export const testPages: Plugin = {
  name: "isocache:test-pages",
  configureServer(server) {
    server.middlewares.use((request, response, next) => {
      const path = new URL(request.url ?? "/", "http://x").pathname
      if (path === "/__tab__") {
        response.writeHead(200, { "content-type": "text/html" }).end(tabPage)
      } else if (path === clearSiteDataPath) {
        response.writeHead(200, { "content-type": "text/html", "clear-site-data": '"storage"' }).end("<!doctype html>")
      } else next()
    })
  },
}
