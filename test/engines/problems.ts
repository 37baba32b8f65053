// What a page did wrong, recorded by the page itself, the same way in every engine (WebDriver classic
// reports no console events): console errors and warnings, uncaught errors and unhandled rejections.

/** What a page recorded (see problemsScript). */
export interface PageProblems {
  readonly console: string[]
  readonly pageErrors: string[]
  readonly unhandledRejections: string[]
}

/** A `<script>` to put first in a page's `<head>`: it records the page's problems in `globalThis.__problems`. */
export const problemsScript = `<script>
globalThis.__problems = { console: [], pageErrors: [], unhandledRejections: [] };
for (const level of ["error", "warn"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => { globalThis.__problems.console.push(args.map(String).join(" ")); original(...args) };
}
addEventListener("error", (event) => globalThis.__problems.pageErrors.push(String(event.message)));
addEventListener("unhandledrejection", (event) => globalThis.__problems.unhandledRejections.push(String(event.reason)));
</script>`

/**
 * For `Tab.call`: the page's problems so far (after one more task, since a rejection is reported as
 * unhandled a task after it was left so).
 */
export const readProblems = "() => new Promise((resolve) => setTimeout(() => resolve(globalThis.__problems), 50))"
