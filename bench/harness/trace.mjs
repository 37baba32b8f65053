// The longest task the page's main thread ran in a window, read from a Chromium trace: exactly how long
// the page could not respond, without the timer clamp and the scheduling jitter of a setTimeout loop.

// Light categories: every task the renderer runs, the page's performance.mark()s, and V8's events
// (among them its garbage collections).
const CATEGORIES = "toplevel,blink.user_timing,v8"
const TASK = "ThreadControllerImpl::RunTask"
// The outermost events of V8's young- and old-generation collections.
const GC = new Set(["MinorGC", "MajorGC"])

/**
 * Starts tracing the page; `stop()` ends it and returns a function that gives the longest main-thread
 * task between two `performance.mark()`s the page made meanwhile, with and without V8's collections.
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
      const onMain = (e) => e.ph === "X" && main.has(`${e.pid}:${e.tid}`)
      const tasks = events.filter((e) => e.name === TASK && onMain(e))
      const collections = events.filter((e) => GC.has(e.name) && onMain(e))
      // A task's own time: without the collections V8 ran inside it.
      const ownTime = (task) =>
        task.dur -
        collections
          .filter((gc) => gc.ts >= task.ts && gc.ts + gc.dur <= task.ts + task.dur)
          .reduce((sum, gc) => sum + gc.dur, 0)
      const markAt = (name) => {
        const mark = events.find((e) => e.name === name && e.cat.includes("blink.user_timing"))
        if (!mark) throw new Error(`the trace has no performance.mark("${name}")`)
        return mark.ts
      }
      /**
       * The longest task between two marks, and the longest once V8's collections are taken out (ms).
       * @param {string} from @param {string} to
       */
      return (from, to) => {
        const start = markAt(from)
        const end = markAt(to)
        let longest = 0
        let longestOwn = 0
        for (const task of tasks) {
          if (task.ts + task.dur < start || task.ts > end) continue
          longest = Math.max(longest, task.dur)
          longestOwn = Math.max(longestOwn, ownTime(task))
        }
        return { longest: longest / 1000, withoutGc: longestOwn / 1000 }
      }
    },
  }
}
