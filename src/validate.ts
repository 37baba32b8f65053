import { InvalidArgumentError } from "./errors.js"

/** Describes a value for an error message without ever calling user code. */
export function describe(value: unknown): string {
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  const type = typeof value
  if (type === "bigint") return `${value}n`
  if (type === "symbol" || type === "function") return `a ${type}`
  if (value && type === "object") return Array.isArray(value) ? "an array" : "an object"
  return String(value) // null, undefined, a number or a boolean
}

/** The error for an argument that is not what it must be: "`argument` must be `what`, got …". */
export const invalid = (argument: string, what: string, value: unknown): InvalidArgumentError =>
  new InvalidArgumentError(`${argument} must be ${what}, got ${describe(value)}`)

/** @throws InvalidArgumentError unless `key` is a string */
export function checkKey(key: unknown, argument = "key"): string {
  if (typeof key !== "string") throw invalid(argument, "a string", key)
  return key
}

/** The accepted forms of a version: its identity is its string form (`1` and `"1"` are one version). */
export type Version = string | number

/**
 * Turns a version argument into its identity. `undefined` means "the default"; `null` means "the
 * unversioned space", which is stored as the empty string.
 * @throws InvalidArgumentError for anything but a string, a finite number, null or undefined
 */
export function checkVersion(version: unknown, fallback: string, argument = "version"): string {
  if (version === undefined) return fallback
  if (version === null) return ""
  // Number.isFinite is false for anything but a number.
  if (typeof version === "string" || Number.isFinite(version)) return String(version)
  throw invalid(argument, "a string or a finite number", version)
}

/** The last time a `Date` can hold, in epoch milliseconds: no expiry may lie past it. */
export const LAST_DATE = 8.64e15

/**
 * Checks a timeout in seconds: `null` (never expire) or a positive finite number, at most `max`
 * seconds (by default, as long as an expiry time can be: {@link LAST_DATE}); `undefined` means "the
 * default" and returns `fallback`.
 * @throws InvalidArgumentError for 0, negatives, NaN, Infinity, non-numbers and too long a time
 */
export function checkTimeout(
  timeout: unknown,
  fallback: number | null,
  argument = "timeout",
  max = LAST_DATE / 1000,
): number | null {
  if (timeout === undefined) return fallback
  if (timeout === null) return null
  if (!Number.isFinite(timeout) || (timeout as number) <= 0)
    throw invalid(argument, "a positive number of seconds or null (never expire)", timeout)
  if ((timeout as number) > max) throw tooLong(argument, timeout as number, max)
  return timeout as number
}

/** The error for a time past what the store can keep, with what to write instead. */
export const tooLong = (argument: string, seconds: number, max: number): InvalidArgumentError =>
  invalid(argument, `at most ${max} seconds (use null for "never")`, seconds)

/** @throws InvalidArgumentError unless `delta` is a finite number */
export function checkDelta(delta: unknown): number {
  if (!Number.isFinite(delta)) throw invalid("delta", "a finite number", delta)
  return delta as number
}

/** @throws InvalidArgumentError unless `value` is an iterable (a string is not taken as a list of keys) */
export function checkIterable(value: unknown, argument: string): Iterable<unknown> {
  // Neither a string (typeof "string") nor null (no Symbol.iterator) passes.
  if (
    typeof value !== "object" ||
    typeof (value as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] !== "function"
  )
    throw invalid(argument, "an iterable (an array, a Set…)", value)
  return value as Iterable<unknown>
}

// Names other libraries give to an option, and the one meant here.
const aliases: Readonly<Record<string, string>> = {
  ttl: "timeout",
  maxAge: "timeout",
  namespace: "name",
  max: "maxEntries",
}

/**
 * The error for an option `where` does not take, naming the option of `allowed` it most likely meant:
 * the one other libraries call so (`ttl` → `timeout`), or a near miss (same first two letters, length
 * within 3: `timout`, `Version`, `maxEntry`).
 * @param where - the method or factory, such as `set`
 */
export function unknownOption(where: string, option: string, allowed: readonly string[]): InvalidArgumentError {
  const alias = aliases[option]
  const start = option.slice(0, 2).toLowerCase()
  const guess =
    alias && allowed.includes(alias)
      ? alias
      : allowed.find((c) => c.toLowerCase().startsWith(start) && Math.abs(c.length - option.length) <= 3)
  const hint = guess ? `; did you mean "${guess}"?` : ""
  return new InvalidArgumentError(`${where}: unknown option "${option}"${hint} (options: ${allowed.join(", ")})`)
}

/**
 * Checks an options object: undefined or an object holding only options of `allowed`.
 * @param where - the method or factory, named in the error, such as `set`
 * @param factory - whether `where` is a store factory, which is told that it takes no name
 * @throws InvalidArgumentError for a non-object or an unknown option (with a did-you-mean)
 */
export function checkOptions<T extends object>(
  options: T | undefined,
  allowed: readonly string[],
  where: string,
  factory?: boolean,
): Partial<T> {
  if (options === undefined) return {}
  if (typeof options !== "object" || options === null) throw invalid(`${where}: options`, "an object", options)
  for (const option of Object.keys(options)) {
    if (allowed.includes(option)) continue
    if (factory && option === "name") {
      throw new InvalidArgumentError(`${where} has no option "name": give the cache's name, new Cache({ name, store })`)
    }
    throw unknownOption(where, option, allowed)
  }
  return options
}

/**
 * Checks a store factory's options object: only the options it documents, and never a name (the
 * cache's name picks its entries).
 * @throws InvalidArgumentError naming the factory and the option
 */
export function checkFactoryOptions(factory: string, options: unknown, allowed: readonly string[]): void {
  checkOptions(options as object | undefined, allowed, factory, true)
}

/**
 * Checks a `maxEntries` bound: a positive integer, or `null` (unbounded) for `null` and `undefined`.
 * @throws InvalidArgumentError for anything else
 */
export function checkMaxEntries(value: unknown, argument: string): number | null {
  if (value === undefined || value === null) return null
  if (Number.isSafeInteger(value) && (value as number) > 0) return value as number
  throw invalid(argument, "a positive integer or null", value)
}

/** A cache's bound that differs from the one the other caches of its name keep on that backend. */
export const boundDiffers = (asked: number | null, kept: number, name: string): InvalidArgumentError =>
  new InvalidArgumentError(`maxEntries ${asked} differs from the bound ${kept} of the other caches named "${name}"`)
