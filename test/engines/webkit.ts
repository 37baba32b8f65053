// WebKitGTK's MiniBrowser through WebKitWebDriver (WebDriver classic, no BiDi), driven by webdriverio,
// under a virtual X server of its own. One driver holds one session: "tabs" are windows of that
// session, and every command goes to the window it is for under one lock.
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { createServer } from "node:net"
import { remote } from "webdriverio"
import { binaries } from "./binaries.mjs"
import { type Engine, type LaunchOptions, type Tab, unwrapCall, wrapCall } from "./types.ts"

/** WebKitGTK keeps a fixed per-origin quota (1000 MiB) that nothing here can lower. */
export const webkitQuotaUnsupported =
  "WebKitGTK has a fixed 1000 MiB per-origin quota that no setting or driver command lowers (filling it takes ~30 s and ~8 GB of memory)"

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1")
  await once(server, "listening")
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

async function startXvfb(): Promise<{ process: ChildProcess; display: string }> {
  const xvfb = spawn(binaries.webkit.xvfb, ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "ignore", "pipe"],
  })
  const fd = xvfb.stdio[3]
  if (!fd) throw new Error("Xvfb gave no display pipe")
  const [chunk] = (await Promise.race([
    once(fd, "data"),
    once(xvfb, "exit").then(() => {
      throw new Error("Xvfb exited before it opened a display")
    }),
  ])) as [Buffer]
  return { process: xvfb, display: `:${String(chunk).trim()}` }
}

async function waitForDriver(port: number, driver: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${driver.exitCode}`)
    const ready = await fetch(`http://127.0.0.1:${port}/status`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error("WebKitWebDriver did not start")
}

/** Launches WebKitGTK's MiniBrowser under Xvfb. */
export async function launchWebKit(options: LaunchOptions = {}): Promise<Engine> {
  const processes: ChildProcess[] = []
  const killAll = (): void => {
    for (const child of processes) if (child.exitCode === null) child.kill("SIGKILL")
  }
  process.once("exit", killAll)
  try {
    const xvfb = await startXvfb()
    processes.push(xvfb.process)
    const port = await freePort()
    const driver = spawn(binaries.webkit.driver, [`--port=${port}`], {
      env: { ...process.env, DISPLAY: xvfb.display },
      stdio: "ignore",
    })
    processes.push(driver)
    await waitForDriver(port, driver)
    const session = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "error",
      connectionRetryCount: 0,
      capabilities: {
        "wdio:enforceWebDriverClassic": true,
        "webkitgtk:browserOptions": { binary: binaries.webkit.browser, args: ["--automation"] },
      } as WebdriverIO.Capabilities,
    })
    const version = String((session.capabilities as { browserVersion?: string }).browserVersion ?? "unknown")

    // One command at a time, each in the window it is for.
    let queue: Promise<unknown> = Promise.resolve()
    let current = await session.getWindowHandle()
    const inWindow = <T>(handle: string, action: () => Promise<T>): Promise<T> => {
      const run = queue.then(async () => {
        if (current !== handle) {
          await session.switchToWindow(handle)
          current = handle
        }
        return action()
      })
      queue = run.catch(() => {})
      return run
    }
    // The session's first window, used by the first tab opened, and again once that tab is closed.
    const first = current
    const spare: string[] = [first]
    let calls = 0

    const tabOf = (handle: string): Tab => {
      let closed = false
      return {
        async call<T>(fn: string, args: readonly unknown[] = []): Promise<T> {
          // Started, then polled: a pending script would hold the one driver that every window shares.
          const id = `c${++calls}`
          await inWindow(handle, () =>
            session.execute(
              `const calls = (globalThis.__isocacheCalls ??= {}); calls[${JSON.stringify(id)}] = null;
              ${wrapCall(fn, args)}.then((json) => { calls[${JSON.stringify(id)}] = json })`,
            ),
          )
          for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
            if (closed) throw new Error("the tab was closed during the call")
            const json = await inWindow(handle, () =>
              session.execute(`return (globalThis.__isocacheCalls ?? {})[${JSON.stringify(id)}] ?? null`),
            )
            if (typeof json === "string") {
              await inWindow(handle, () => session.execute(`delete globalThis.__isocacheCalls[${JSON.stringify(id)}]`))
              return unwrapCall<T>(json)
            }
            await new Promise((resolve) => setTimeout(resolve, delay))
          }
        },
        goto: (url) => inWindow(handle, () => session.url(url)).then(() => {}),
        screenshot: async () => Buffer.from(await inWindow(handle, () => session.takeScreenshot()), "base64"),
        setViewport: (width, height) => inWindow(handle, () => session.setWindowSize(width, height)),
        async close() {
          closed = true
          // The session's first window is kept (closing the last one ends the session): it goes
          // blank, to be reused. The others are really closed: a page navigated away can be kept
          // suspended (back-forward cache) with its IndexedDB transactions pending, which then block
          // every other tab's access to the database.
          if (handle === first) {
            await inWindow(handle, () => session.url("about:blank"))
            spare.push(handle)
            return
          }
          await inWindow(handle, async () => {
            await session.closeWindow()
            current = ""
          })
        },
      }
    }

    // From the first window, which always exists (WebDriver opens a window from the current one).
    const newWindow = (): Promise<string> =>
      inWindow(first, async () => {
        const { handle } = await session.createWindow("window")
        if (typeof handle !== "string") throw new Error("WebKitWebDriver opened no window")
        return handle
      })

    const openTab = async (url: string): Promise<Tab> => {
      const reused = spare.shift()
      const handle: string = reused ?? (await newWindow())
      const tab = tabOf(handle)
      if (!reused) await tab.setViewport(1280, 900)
      await tab.goto(url)
      return tab
    }

    return {
      name: "webkit",
      version,
      openTab,
      quotaUnsupported: webkitQuotaUnsupported,
      async setQuota() {
        throw new Error(webkitQuotaUnsupported)
      },
      async forceDeleteDatabase(origin) {
        // The whole origin's storage, as Clear-Site-Data clears it (see the Firefox launcher).
        if (!options.clearSiteDataPath) throw new Error("forceDeleteDatabase needs LaunchOptions.clearSiteDataPath")
        const tab = await openTab(new URL(options.clearSiteDataPath, origin).href)
        await tab.close()
      },
      async close() {
        await session.deleteSession().catch(() => {})
        killAll()
        process.off("exit", killAll)
      },
    }
  } catch (error) {
    killAll()
    process.off("exit", killAll)
    throw error
  }
}
