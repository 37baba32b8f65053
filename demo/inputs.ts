// Turns what the user typed into arguments. Only JSON syntax is checked here: anything that parses is
// handed to the library as typed, so that a bad timeout, version or delta shows the library's own error.
import type { Entries } from "isocache"

/** A mistake in what was typed, caught before the library is called. */
export class InputError extends Error {
  override name = "InputError"
}

/** Parses JSON; empty text is `undefined` when `optional`, else an error. */
export function parseJson(text: string, label: string, optional = false): unknown {
  if (text.trim() === "") {
    if (optional) return undefined
    throw new InputError(`${label} is empty: type a JSON value such as "text", 42, true, null or {"a": 1}`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new InputError(`${label} is not valid JSON (${reason}). Strings need double quotes: "hello"`)
  }
}

// A number where the text is one; otherwise the text itself, passed as typed so the library rejects it.
function numberOrText(text: string): number {
  const number = Number(text)
  return Number.isNaN(number) ? (text as unknown as number) : number
}

/** A timeout in seconds: empty → the default (`undefined`), `null` or `never` → `null`. */
export function parseTimeout(text: string): number | null | undefined {
  const trimmed = text.trim()
  if (trimmed === "") return undefined
  if (trimmed === "null" || trimmed === "never") return null
  return numberOrText(trimmed)
}

/** A bound: empty → unbounded (`undefined`), `null` → unbounded, else the number as typed. */
export function parseBound(text: string): number | null | undefined {
  const trimmed = text.trim()
  if (trimmed === "") return undefined
  if (trimmed === "null") return null
  return numberOrText(trimmed)
}

/** A version: empty → the default (`undefined`), `null` → the unversioned space, else the text. */
export function parseVersion(text: string): string | null | undefined {
  const trimmed = text.trim()
  if (trimmed === "") return undefined
  return trimmed === "null" ? null : trimmed
}

/** A delta: empty → `undefined` (the library's default of 1). */
export function parseDelta(text: string): number | undefined {
  const trimmed = text.trim()
  return trimmed === "" ? undefined : numberOrText(trimmed)
}

/** Keys: a JSON array, or keys separated by commas (spaces around them are dropped). */
export function parseKeys(text: string): Iterable<string> {
  const trimmed = text.trim()
  // Whatever the JSON holds goes to the library, which names a bad element (keys[1] must be a string…).
  if (trimmed.startsWith("[")) return parseJson(trimmed, "keys") as Iterable<string>
  return trimmed === "" ? [] : trimmed.split(",").map((key) => key.trim())
}

/** Entries: a JSON object (or an array of [key, value] pairs); anything else is the library's to reject. */
export function parseEntries(text: string): Entries {
  return parseJson(text, "entries") as Entries
}
