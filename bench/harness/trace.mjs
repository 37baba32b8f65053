// The longest task the page's main thread ran in a window, read from a Chromium trace: exactly how long
// the page could not respond, without the timer clamp and the scheduling jitter of a setTimeout loop.

// Light categories: every task the renderer runs, and the page's performance.mark()s.
const CATEGORIES = "toplevel,blink.user_timing"
const TASK = "ThreadControllerImpl::RunTask"

/**
 * Starts tracing the page; `stop()` ends it and returns a function that gives the longest main-thread
 * task (ms) between two `performance.mark()`s the page made meanwhile.
 * @param {import("playwright").BrowserContext} context
 * @param {import("playwright").Page} page
 */
export async function traceTasks(context, page) {
  const cdp = await context.newCDPSession(page)
  const events = []
  cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value))
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve))
  await cdp.send("Tracing.start", { categories: CATEGORIES, transferMode: "ReportEvents" })
  return {
    async stop() {
      await cdp.send("Tracing.end")
      await complete
      await cdp.detach()
      const main = new Set(
        events
          .filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain")
          .map((e) => `${e.pid}:${e.tid}`),
      )
      const tasks = events.filter((e) => e.name === TASK && e.ph === "X" && main.has(`${e.pid}:${e.tid}`))
      const markAt = (name) => {
        const mark = events.find((e) => e.name === name && e.cat.includes("blink.user_timing"))
        if (!mark) throw new Error(`the trace has no performance.mark("${name}")`)
        return mark.ts
      }
      /** @param {string} from @param {string} to */
      return (from, to) => {
        const start = markAt(from)
        const end = markAt(to)
        let longest = 0
        for (const task of tasks) {
          if (task.ts + task.dur >= start && task.ts <= end) longest = Math.max(longest, task.dur)
        }
        return longest / 1000
      }
    },
  }
}
