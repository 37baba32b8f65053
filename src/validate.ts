import { InvalidArgumentError } from "./errors.js"

/** Describes a value for an error message without ever calling user code. */
export function describe(value: unknown): string {
  if (value === null) return "null"
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (typeof value === "bigint") return `${value}n`
  if (typeof value === "undefined") return "undefined"
  if (typeof value === "symbol") return "a symbol"
  if (typeof value === "function") return "a function"
  if (Array.isArray(value)) return "an array"
  return "an object"
}

/** @throws InvalidArgumentError unless `key` is a string */
export function checkKey(key: unknown, argument = "key"): string {
  if (typeof key !== "string") throw new InvalidArgumentError(`${argument} must be a string, got ${describe(key)}`)
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
  if (typeof version === "string") return version
  if (typeof version === "number" && Number.isFinite(version)) return String(version)
  throw new InvalidArgumentError(`${argument} must be a string or a finite number, got ${describe(version)}`)
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
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    throw new InvalidArgumentError(
      `${argument} must be a positive number of seconds or null (never expire), got ${describe(timeout)}`,
    )
  }
  if (timeout > max) throw tooLong(argument, timeout, max)
  return timeout
}

/** The error for a time past what the store can keep, with what to write instead. */
export function tooLong(argument: string, seconds: number, max: number): InvalidArgumentError {
  return new InvalidArgumentError(
    `${argument} of ${seconds} seconds is past the longest possible (${max} s); use null for "never"`,
  )
}

/** @throws InvalidArgumentError unless `delta` is a finite number */
export function checkDelta(delta: unknown): number {
  if (typeof delta !== "number" || !Number.isFinite(delta)) {
    throw new InvalidArgumentError(`delta must be a finite number, got ${describe(delta)}`)
  }
  return delta
}

/** @throws InvalidArgumentError unless `value` is an iterable (a string is not taken as a list of keys) */
export function checkIterable(value: unknown, argument: string): Iterable<unknown> {
  if (
    typeof value === "string" ||
    value === null ||
    typeof value !== "object" ||
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw new InvalidArgumentError(`${argument} must be an iterable (an array, a Set…), got ${describe(value)}`)
  }
  return value as Iterable<unknown>
}

// Names other libraries give to an option, and the one meant here.
const aliases: Readonly<Record<string, string>> = {
  ttl: "timeout",
  expires: "timeout",
  expiresIn: "timeout",
  maxAge: "timeout",
  namespace: "name",
  max: "maxEntries",
}

/**
 * The option of `allowed` that an unknown `option` most likely meant: the one other libraries call so
 * (`ttl` → `timeout`), or a near miss (same first two letters, length within 3: `timout`, `Version`,
 * `maxEntry`); else `undefined`.
 */
export function meant(option: string, allowed: readonly string[]): string | undefined {
  const alias = aliases[option]
  if (alias && allowed.includes(alias)) return alias
  const start = option.slice(0, 2).toLowerCase()
  return allowed.find((c) => c.toLowerCase().startsWith(start) && Math.abs(c.length - option.length) <= 3)
}

/**
 * The error for an option `where` does not take, naming the option meant when it is a near miss.
 * @param where - the method or factory, such as `set`
 */
export function unknownOption(where: string, option: string, allowed: readonly string[]): InvalidArgumentError {
  const guess = meant(option, allowed)
  const hint = guess ? `; did you mean "${guess}"?` : ""
  return new InvalidArgumentError(`${where}: unknown option "${option}"${hint} (options: ${allowed.join(", ")})`)
}

/**
 * Checks an options object: undefined or an object holding only options of `allowed`.
 * @param where - the method, named in the error, such as `set`
 * @throws InvalidArgumentError for a non-object or an unknown option (with a did-you-mean)
 */
export function checkOptions<T extends object>(
  options: T | undefined,
  allowed: readonly string[],
  where: string,
): Partial<T> {
  if (options === undefined) return {}
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError(`${where}: options must be an object, got ${describe(options)}`)
  }
  for (const option of Object.keys(options)) {
    if (!allowed.includes(option)) throw unknownOption(where, option, allowed)
  }
  return options
}

/**
 * Checks a store factory's options object: only the options it documents, and never a name (the
 * cache's name picks its entries).
 * @throws InvalidArgumentError naming the factory and the option
 */
export function checkFactoryOptions(factory: string, options: unknown, allowed: readonly string[]): void {
  if (typeof options !== "object" || options === null)
    throw new InvalidArgumentError(`${factory} options must be an object`)
  for (const option of Object.keys(options)) {
    if (allowed.includes(option)) continue
    if (option === "name") {
      throw new InvalidArgumentError(
        `${factory} has no option "name": the cache's name picks its entries (new Cache({ name, store }))`,
      )
    }
    throw unknownOption(factory, option, allowed)
  }
}
