// How values, errors and durations are written on the page.
import { h } from "./dom.ts"

/** A value as JSON where JSON can say it, else as JavaScript would print it. */
export function formatValue(value: unknown, pretty = false): string {
  if (value === undefined) return "undefined"
  if (typeof value === "bigint") return `${value}n`
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value)
  try {
    return JSON.stringify(value, null, pretty ? 2 : undefined) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Cuts `text` to `max` characters, with an ellipsis. */
export function abbreviate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Time left before an expiry, for the countdowns: "8.4 s", "4 min 05 s", "2 h 03 min". */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, ms) / 1000
  if (seconds < 60) return `${seconds.toFixed(1)} s`
  const whole = Math.floor(seconds)
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")} min`
}

/** What the page shows of an error: its class, its isocache `code` if any, its message. */
export interface ShownError {
  readonly name: string
  readonly code: string | undefined
  readonly message: string
}

export function describeError(error: unknown): ShownError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return { name: error.name, code: typeof code === "string" ? code : undefined, message: error.message }
  }
  return { name: "Thrown value", code: undefined, message: formatValue(error) }
}

/** The outcome of one call, as the result areas show it. */
export type Outcome = { ok: true; value: unknown; ms: number } | { ok: false; error: unknown; ms: number }

/** Runs `call` and times it; never rejects. */
export async function attempt(call: () => Promise<unknown>): Promise<Outcome> {
  const started = performance.now()
  try {
    const value = await call()
    return { ok: true, value, ms: performance.now() - started }
  } catch (error) {
    return { ok: false, error, ms: performance.now() - started }
  }
}

/** Fills a result area with an outcome; `data-runs` counts the outcomes shown, for the tests. */
export function showOutcome(output: HTMLOutputElement, outcome: Outcome): void {
  const ms = h("span", { class: "ms" }, `${Math.round(outcome.ms)} ms`)
  if (outcome.ok) {
    const compact = formatValue(outcome.value)
    const text = compact.length > 48 ? formatValue(outcome.value, true) : compact
    output.replaceChildren(
      h("span", { class: "label" }, "returned"),
      ms,
      h("code", { class: "value", "data-value": "" }, text),
    )
  } else {
    const { name, code, message } = describeError(outcome.error)
    output.replaceChildren(
      h("strong", { class: "error-name" }, name),
      ...(code ? [h("code", { class: "error-code" }, code)] : []),
      ms,
      h("span", { class: "error-message" }, message),
    )
  }
  settled(output, outcome.ok ? "ok" : "error")
}

/** Fills a result area with a one-line success message rather than a returned value. */
export function showDone(output: HTMLOutputElement, message: string): void {
  output.replaceChildren(h("span", { class: "value" }, message))
  settled(output, "ok")
}

function settled(output: HTMLOutputElement, state: "ok" | "error"): void {
  output.dataset.state = state
  output.dataset.runs = String(Number(output.dataset.runs ?? 0) + 1)
}
