// Drives the demo page the way a person would: through labelled inputs and buttons, in any engine (see
// test/engines). Everything runs in the page through one self-contained function (`dom`) and waits on
// what the page shows, never on a fixed delay.
import type { Engine, Tab } from "../engines/index.ts"
import type { PageProblems } from "../engines/problems.ts"
import { readProblems } from "../engines/problems.ts"

/** What a method panel shows after a run. */
export interface PanelResult {
  readonly state: string | null
  /** The returned value as shown (JSON, or `undefined`), when the call succeeded. */
  readonly value: string | null
  /** The error's class name, `code` and message, when it failed. */
  readonly errorName: string | null
  readonly errorCode: string | null
  readonly message: string | null
}

/** What one call of the offline-API section logged. */
export interface ApiCall {
  readonly outcome: string | null
  readonly badge: string | null
  readonly detail: string | null
}

/** How long to wait for what the page shows; generous, because benchmarks may share the two cores. */
export const SHOWN_MS = 15_000

type Op =
  | ["run", string, Record<string, string>]
  | ["text", string]
  | ["attr", string, string]
  | ["count", string]
  | ["visible", string]
  | ["waitFor", string, "attached" | "detached" | "visible"]
  | ["click", string]
  | ["fill", string, string]
  | ["select", string, string]
  | ["check", string, boolean]
  | ["fetchQuote", number]
  | ["recreate", string, string]
  | ["unlabelled"]
  | ["scrollWidth"]
  | ["innerWidth"]

// In the page. Self-contained: it is sent as source text.
function dom(op: Op, timeout: number): unknown {
  const wait = (check: () => unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const started = Date.now()
      const poll = (): void => {
        const found = check()
        if (found) resolve(found)
        else if (Date.now() - started > timeout) reject(new Error(`timed out waiting: ${JSON.stringify(op)}`))
        else setTimeout(poll, 10)
      }
      poll()
    })
  const labelled = (root: ParentNode, label: string): HTMLInputElement => {
    const match = [...root.querySelectorAll("label")].find((element) =>
      label.startsWith("/")
        ? new RegExp(label.slice(1, -1)).test(element.textContent ?? "")
        : element.textContent?.trim() === label,
    )
    const control = match?.control as HTMLInputElement | null | undefined
    if (!control) throw new Error(`no control labelled ${label}`)
    return control
  }
  const button = (root: ParentNode, name: string): HTMLButtonElement => {
    const found = [...root.querySelectorAll("button")].find((element) => element.textContent?.trim() === name)
    if (!found) throw new Error(`no button ${name}`)
    return found
  }
  const fill = (control: HTMLInputElement, value: string): void => {
    control.focus()
    control.value = value
    control.dispatchEvent(new Event("input", { bubbles: true }))
    control.dispatchEvent(new Event("change", { bubbles: true }))
  }
  const text = (root: ParentNode, selector: string): string | null => root.querySelector(selector)?.textContent ?? null
  const result = (output: Element) => ({
    state: output.getAttribute("data-state"),
    value: text(output, ".value"),
    errorName: text(output, ".error-name"),
    errorCode: text(output, ".error-code"),
    message: text(output, ".error-message"),
  })
  // Clicks, then waits for the output's next run.
  const runOnce = async (output: Element, click: () => void) => {
    const runs = Number(output.getAttribute("data-runs"))
    click()
    await wait(() => Number(output.getAttribute("data-runs")) === runs + 1)
    return result(output)
  }
  const visible = (selector: string): boolean => {
    const element = document.querySelector(selector) as HTMLElement | null
    return !!element && element.offsetParent !== null && getComputedStyle(element).visibility !== "hidden"
  }
  switch (op[0]) {
    case "run": {
      const panel = document.querySelector(`section[data-method="${op[1]}"]`)
      if (!panel) throw new Error(`no panel for ${op[1]}`)
      for (const [label, value] of Object.entries(op[2])) fill(labelled(panel, label), value)
      const output = panel.querySelector("output.result") as Element
      return runOnce(output, () => button(panel, "Run").click())
    }
    case "text":
      return text(document, op[1])
    case "attr":
      return document.querySelector(op[1])?.getAttribute(op[2]) ?? null
    case "count":
      return document.querySelectorAll(op[1]).length
    case "visible":
      return visible(op[1])
    case "waitFor": {
      const [, selector, state] = op
      return wait(() =>
        state === "detached"
          ? !document.querySelector(selector)
          : state === "visible"
            ? visible(selector)
            : !!document.querySelector(selector),
      ).then(() => true)
    }
    case "click":
      button(document, op[1]).click()
      return true
    case "fill":
      fill(labelled(document, op[1]), op[2])
      return true
    case "select":
      fill(labelled(document, op[1]), op[2])
      return true
    case "check": {
      const box = labelled(document, op[1])
      if (box.checked !== op[2]) box.click()
      return true
    }
    case "fetchQuote": {
      fill(labelled(document, "quote"), String(op[1]))
      const first = document.querySelector("#api-log li")
      const calls = Number(first ? first.getAttribute("data-call") : 0)
      button(document, "Fetch through the cache").click()
      return wait(() => document.querySelector(`#api-log li[data-call="${calls + 1}"]`)).then((item) => ({
        outcome: (item as Element).getAttribute("data-outcome"),
        badge: text(item as Element, ".badge"),
        detail: text(item as Element, ".detail"),
      }))
    }
    case "recreate": {
      fill(labelled(document, "default timeout (s)"), op[1])
      fill(labelled(document, "default version"), op[2])
      const output = document.querySelector("#settings-result") as Element
      return runOnce(output, () => button(document, "Re-create cache").click())
    }
    case "unlabelled":
      return [...document.querySelectorAll("input, select, textarea")]
        .filter((field) => !(field as HTMLInputElement).labels?.length)
        .map((field) => field.outerHTML)
    case "scrollWidth":
      return document.documentElement.scrollWidth
    case "innerWidth":
      return window.innerWidth
  }
}

/** The demo open in one tab. */
export class DemoPage {
  constructor(readonly tab: Tab) {}

  /** Opens the demo in a new tab of `engine` and waits until it is ready. */
  static async open(engine: Engine, url: string): Promise<DemoPage> {
    const page = new DemoPage(await engine.openTab(url))
    await page.waitFor("body[data-ready]")
    return page
  }

  private dom<T>(...op: Op): Promise<T> {
    return this.tab.call<T>(dom.toString(), [op, SHOWN_MS])
  }

  /** Fills a method's panel (inputs by their label: "key", "value (JSON)"…), clicks Run, returns the outcome. */
  runMethod(method: string, inputs: Record<string, string> = {}): Promise<PanelResult> {
    return this.dom("run", method, inputs)
  }
  text(selector: string): Promise<string | null> {
    return this.dom("text", selector)
  }
  attr(selector: string, name: string): Promise<string | null> {
    return this.dom("attr", selector, name)
  }
  count(selector: string): Promise<number> {
    return this.dom("count", selector)
  }
  visible(selector: string): Promise<boolean> {
    return this.dom("visible", selector)
  }
  async waitFor(selector: string, state: "attached" | "detached" | "visible" = "attached"): Promise<void> {
    await this.dom("waitFor", selector, state)
  }
  async click(buttonName: string): Promise<void> {
    await this.dom("click", buttonName)
  }
  /** Types `value` into the input labelled `label`. */
  async fill(label: string, value: string): Promise<void> {
    await this.dom("fill", label, value)
  }
  /** Selects `value` in the select labelled `label`. */
  async select(label: string, value: string): Promise<void> {
    await this.dom("select", label, value)
  }
  /** Checks or unchecks the checkbox whose label matches `label` (`/regex/` or exact text). */
  async check(label: string, checked: boolean): Promise<void> {
    await this.dom("check", label, checked)
  }
  /** Fetches a quote through the cache with the page's form, and returns the call's log line. */
  fetchQuote(id: number): Promise<ApiCall> {
    return this.dom("fetchQuote", id)
  }
  /** Re-creates the page's cache with these defaults through the header form; returns what it shows. */
  recreateCache(timeout: string, version: string): Promise<PanelResult> {
    return this.dom("recreate", timeout, version)
  }
  /** The form fields that have no label. */
  unlabelled(): Promise<string[]> {
    return this.dom("unlabelled")
  }
  /** The document's width: wider than the viewport means a horizontal scroll bar. */
  scrollWidth(): Promise<number> {
    return this.dom("scrollWidth")
  }
  /** The viewport's width. */
  innerWidth(): Promise<number> {
    return this.dom("innerWidth")
  }
  /** What the page logged as errors or warnings, and left uncaught or unhandled. */
  problems(): Promise<PageProblems> {
    return this.tab.call<PageProblems>(readProblems)
  }
}

/** The selector of the live view's row of an entry (`version` "" = unversioned). */
export const entryRow = (key: string, version = ""): string =>
  `#entries-body tr[data-key="${key}"][data-version="${version}"]`
