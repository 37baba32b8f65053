// A tiny model of the spec, and random command sequences to hold every store to it. The model is
// a plain Map per cache name, keyed by JSON.stringify([version, key]), holding values and expiry
// times; every rule it applies is quoted from docs (README "Decisions", spec/cache-api.md).
import fc from "fast-check"
import { Cache, InvalidArgumentError, KeyNotFoundError, NotANumberError, NotStorableError } from "../../src/index.js"
import { difference, show } from "./same-value.js"

/** What a getOrSet factory throws on purpose: it must reach the caller, and store nothing. */
export class FactoryError extends Error {
  override name = "FactoryError"
}

const errorClasses = { InvalidArgumentError, KeyNotFoundError, NotANumberError, NotStorableError, FactoryError }
type ErrorName = keyof typeof errorClasses
const codes: Partial<Record<ErrorName, string>> = {
  InvalidArgumentError: "ERR_INVALID_ARGUMENT",
  KeyNotFoundError: "ERR_KEY_NOT_FOUND",
  NotANumberError: "ERR_NOT_A_NUMBER",
  NotStorableError: "ERR_VALUE_NOT_STORABLE",
}

// ---------------------------------------------------------------------------------------------
// Commands: plain data, so that fast-check prints a failing sequence as it was run.

/** The options argument of a call; absent properties are left out, `undefined` ones passed. */
type Opts = { timeout?: unknown; version?: unknown; staleIfError?: unknown }

/** What getOrSet is given: a value, a factory (sync or async) returning one, or a factory that throws. */
type Source = { kind: "value"; value: unknown } | { kind: "sync" | "async"; value: unknown } | { kind: "throws" }

/** Which Cache object runs a call: 0 and 1 share a name, 2 has another. */
type On = 0 | 1 | 2

export type Command =
  | { op: "get"; on: On; key: unknown; fallback: unknown; opts?: Opts | undefined }
  | { op: "set" | "add"; on: On; key: unknown; value: unknown; opts?: Opts | undefined }
  | { op: "getOrSet"; on: On; key: unknown; source: Source; opts?: Opts | undefined }
  | { op: "getMany" | "deleteMany"; on: On; keys: unknown[]; opts?: Opts | undefined }
  | {
      op: "setMany"
      on: On
      shape: "object" | "map" | "pairs"
      entries: Array<[unknown, unknown]>
      opts?: Opts | undefined
    }
  | { op: "delete"; on: On; key: unknown; opts?: Opts | undefined }
  | { op: "getEntry"; on: On; key: unknown; opts?: Opts | undefined }
  | { op: "touch"; on: On; key: unknown; timeout?: unknown; opts?: Opts | undefined }
  | { op: "incr" | "decr"; on: On; key: unknown; delta?: unknown; opts?: Opts | undefined }
  | { op: "clear" | "sweep" | "disconnect"; on: On }
  | { op: "clock"; ms: number }

/** The defaults of one Cache object. */
export interface Defaults {
  readonly timeout: number | null
  readonly version?: string | number
}

// Small pools, so that calls collide: keys and versions that a string-joining or object-indexing
// implementation would confuse ("a" + ":b" vs "a:" + "b", "__proto__", a key shaped like the
// JSON of a compound key, 1 vs "1").
export const keyPool = ["", "a", "b:c", "c", "__proto__", "constructor", "a:b", '["","a"]'] as const
const goodVersions: unknown[] = [null, "", 1, "1", "a", "a:b", "__proto__", 0.5, "toString"]
/** Every version identity the pools above can reach (the defaults included). */
export const versionIds = ["", "1", "a", "a:b", "__proto__", "0.5", "toString"]

const badKey = fc.constantFrom<unknown>(1, null, undefined, Object("a"), ["a"], Symbol("k"))
const badVersion = fc.constantFrom<unknown>({}, true, Number.NaN, Number.POSITIVE_INFINITY, [1])
const badTimeout = fc.constantFrom<unknown>(0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, "1", true)
const badDelta = fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "2", null)

// Two keys and the default version take half the calls, so that calls land on live entries often.
const key = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>("a", "__proto__"), weight: 30 },
  { arbitrary: fc.constantFrom<unknown>(...keyPool), weight: 30 },
  { arbitrary: badKey, weight: 1 },
)
const version = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 40 },
  { arbitrary: fc.constantFrom(...goodVersions), weight: 20 },
  { arbitrary: badVersion, weight: 1 },
)
// Fractions, and values whose millisecond deadline falls exactly on a clock jump below.
const goodTimeout = fc.constantFrom<unknown>(0.001, 0.25, 0.5, 1, 1.5, 2.5, 60)
const timeout = fc.oneof(
  { arbitrary: goodTimeout, weight: 20 },
  { arbitrary: fc.constantFrom<unknown>(undefined, null), weight: 20 },
  { arbitrary: badTimeout, weight: 1 },
)
// A stale window (staleIfError): a background refresh (staleWhileRevalidate) is not modelled, as it
// settles after its call.
const staleIfError = fc.oneof(
  { arbitrary: goodTimeout, weight: 10 },
  { arbitrary: fc.constantFrom<unknown>(undefined, null), weight: 10 },
  { arbitrary: badTimeout, weight: 1 },
)
const opts = (withTimeout: boolean): fc.Arbitrary<Opts | undefined> =>
  fc.option(
    withTimeout
      ? fc.record({ timeout, version, staleIfError }, { requiredKeys: [] })
      : fc.record({ version }, { requiredKeys: [] }),
    { nil: undefined, freq: 3 },
  )

const storableValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.integer({ min: -5, max: 5 }), weight: 12 },
  {
    arbitrary: fc.constantFrom<unknown>(-0, 0.1, 1e308, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 7n, "", "1"),
    weight: 3,
  },
  { arbitrary: fc.constantFrom<unknown>(null, false, true, "x", "alert(1)"), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 2 },
  {
    arbitrary: fc.constantFrom<unknown>(
      new Date(0),
      new Map<unknown, unknown>([[1, { a: [2] }]]),
      new Set(["s", 1]),
      Object.assign(Object.create(null) as object, { a: 1 }),
      JSON.parse('{"__proto__": {"polluted": true}}'),
    ),
    weight: 1,
  },
)
const unstorableValue = fc.constantFrom<unknown>(undefined, () => 1, Symbol("v"), { a: undefined }, [1, () => 2])
const value = fc.oneof({ arbitrary: storableValue, weight: 25 }, { arbitrary: unstorableValue, weight: 1 })
const keys = fc.array(key, { maxLength: 5 })
// Counters mostly hit the key that is most often written.
const counterKey = fc.oneof({ arbitrary: fc.constant<unknown>("a"), weight: 2 }, { arbitrary: key, weight: 1 })
const on = fc.constantFrom<On>(0, 0, 1, 2)

const source: fc.Arbitrary<Source> = fc.oneof(
  fc.record({ kind: fc.constant("value" as const), value: fc.oneof(storableValue, fc.constant(undefined)) }),
  fc.record({ kind: fc.constantFrom("sync" as const, "async" as const), value }),
  fc.constant({ kind: "throws" as const }),
)

// Time moves by exact deadlines (1 ms, 250 ms, 500 ms...) and sometimes backwards: the clock is
// trusted, so an expired entry not yet swept or overwritten comes back.
const clockJump = fc.oneof(
  { arbitrary: fc.constantFrom(1, 249, 250, 499, 500, 1000, 1500, 2500), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 3000 }), weight: 3 },
  { arbitrary: fc.constantFrom(-1, -500, -1000), weight: 1 },
)

/** Random calls of every method, with random arguments from the pools. */
export const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record(
      {
        op: fc.constant("get" as const),
        on,
        key,
        fallback: fc.constantFrom<unknown>(undefined, null, "fallback", 0),
        opts: opts(false),
      },
      { requiredKeys: ["op", "on", "key", "fallback"] },
    ),
    weight: 6,
  },
  {
    arbitrary: fc.record(
      { op: fc.constantFrom("set" as const, "add" as const), on, key, value, opts: opts(true) },
      { requiredKeys: ["op", "on", "key", "value"] },
    ),
    weight: 8,
  },
  {
    arbitrary: fc.record(
      { op: fc.constant("getOrSet" as const), on, key, source, opts: opts(true) },
      { requiredKeys: ["op", "on", "key", "source"] },
    ),
    weight: 4,
  },
  {
    arbitrary: fc.record(
      { op: fc.constantFrom("getMany" as const, "deleteMany" as const), on, keys, opts: opts(false) },
      { requiredKeys: ["op", "on", "keys"] },
    ),
    weight: 4,
  },
  {
    arbitrary: fc.oneof(
      fc.record(
        {
          op: fc.constant("setMany" as const),
          on,
          shape: fc.constant("object" as const),
          entries: fc.array(fc.tuple(fc.constantFrom<unknown>(...keyPool), value), { maxLength: 4 }),
          opts: opts(true),
        },
        { requiredKeys: ["op", "on", "shape", "entries"] },
      ),
      fc.record(
        {
          op: fc.constant("setMany" as const),
          on,
          shape: fc.constantFrom("map" as const, "pairs" as const),
          entries: fc.array(fc.tuple(key, value), { maxLength: 4 }),
          opts: opts(true),
        },
        { requiredKeys: ["op", "on", "shape", "entries"] },
      ),
    ),
    weight: 4,
  },
  {
    arbitrary: fc.record(
      { op: fc.constantFrom("delete" as const, "getEntry" as const), on, key, opts: opts(false) },
      { requiredKeys: ["op", "on", "key"] },
    ),
    weight: 3,
  },
  {
    arbitrary: fc.record(
      { op: fc.constant("touch" as const), on, key, timeout, opts: opts(false) },
      { requiredKeys: ["op", "on", "key"] },
    ),
    weight: 3,
  },
  {
    arbitrary: fc.record(
      {
        op: fc.constantFrom("incr" as const, "decr" as const),
        on,
        key: counterKey,
        delta: fc.oneof(
          { arbitrary: fc.constantFrom<unknown>(undefined, 1, -1, 0.5, 2, 1e308), weight: 20 },
          { arbitrary: badDelta, weight: 1 },
        ),
        opts: opts(false),
      },
      { requiredKeys: ["op", "on", "key"] },
    ),
    weight: 6,
  },
  {
    arbitrary: fc.record({ op: fc.constantFrom("clear" as const, "sweep" as const, "disconnect" as const), on }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant("clock" as const), ms: clockJump }), weight: 5 },
)

/** The defaults of the three Cache objects of one run. */
export const defaultsArb: fc.Arbitrary<[Defaults, Defaults, Defaults]> = (() => {
  const one = fc.record(
    {
      timeout: fc.constantFrom<number | null>(null, null, 1, 2.5),
      version: fc.constantFrom<string | number>(1, "1", "a"),
    },
    { requiredKeys: ["timeout"] },
  )
  return fc.tuple(one, one, one)
})()

// ---------------------------------------------------------------------------------------------
// The model.

interface Entry {
  readonly value: unknown
  readonly expiresAt: number | null
  /** Its staleIfError window, in ms after expiresAt (0 = none). */
  readonly ifError: number
}

/** What a call returns, or the class of what it throws. */
export type Outcome = { readonly ok: unknown } | { readonly error: ErrorName }

class Invalid extends Error {}

/** What getMany should return: the live keys found, and their values. */
class Found extends Map<string, unknown> {}

const id = (version: string, key: string): string => JSON.stringify([version, key])

// "A key is any string (the empty string included)."
function checkKey(key: unknown): string {
  if (typeof key !== "string") throw new Invalid()
  return key
}

// "A version is a string or a number; its identity is its string form. Omitted → the cache's default
// version; no default → the unversioned space." README: "version: null selects the unversioned space".
function versionOf(version: unknown, fallback: string): string {
  if (version === undefined) return fallback
  if (version === null) return ""
  if (typeof version === "string") return version
  if (typeof version === "number" && Number.isFinite(version)) return String(version)
  throw new Invalid()
}

// "null = never expires. Omitted or undefined = the cache's default. Otherwise a positive, finite number."
function timeoutOf(timeout: unknown, fallback: number | null): number | null {
  if (timeout === undefined) return fallback
  if (timeout === null) return null
  if (typeof timeout === "number" && Number.isFinite(timeout) && timeout > 0) return timeout
  throw new Invalid()
}

function deltaOf(delta: unknown): number {
  if (delta === undefined) return 1
  if (typeof delta === "number" && Number.isFinite(delta)) return delta
  throw new Invalid()
}

// Only what the pools above can hold: functions and symbols are not storable, anywhere; undefined
// only at the top (inside a value it is data).
function storable(value: unknown, top = true): boolean {
  if (value === undefined) return !top
  if (typeof value === "function" || typeof value === "symbol") return false
  if (value instanceof Map) return [...value].every(([k, v]) => storable(k, false) && storable(v, false))
  if (value instanceof Set) return [...value].every((v) => storable(v, false))
  if (typeof value === "object" && value !== null && !(value instanceof Date))
    return Object.values(value).every((v) => storable(v, false))
  return true
}

/** The whole spec, for the calls the generators make. */
export class Model {
  now = 1_700_000_000_000
  readonly #names: [Map<string, Entry>, Map<string, Entry>] = [new Map(), new Map()]

  constructor(readonly defaults: readonly [Defaults, Defaults, Defaults]) {}

  // "An entry with timeout t written at now is live while clock() < now + t*1000."
  #live(entry: Entry | undefined): entry is Entry {
    return entry !== undefined && (entry.expiresAt === null || this.now < entry.expiresAt)
  }

  #expiresAt(timeout: number | null): number | null {
    return timeout === null ? null : this.now + timeout * 1000
  }

  /** The live entries of one cache name and version, by key. */
  live(name: 0 | 1, version: string): Map<string, unknown> {
    const found = new Map<string, unknown>()
    for (const k of keyPool) {
      const entry = this.#names[name].get(id(version, k))
      if (this.#live(entry)) found.set(k, entry.value)
    }
    return found
  }

  /** Applies a call; `factoryCalled` says whether a getOrSet factory ran. */
  apply(cmd: Command): { outcome: Outcome; factoryCalled: boolean } {
    let factoryCalled = false
    try {
      return { outcome: { ok: this.#apply(cmd, () => (factoryCalled = true)) }, factoryCalled }
    } catch (error) {
      if (error instanceof Invalid) return { outcome: { error: "InvalidArgumentError" }, factoryCalled }
      if (error instanceof ModelError) return { outcome: { error: error.kind }, factoryCalled }
      throw error
    }
  }

  #apply(cmd: Command, calledFactory: () => void): unknown {
    if (cmd.op === "clock") {
      this.now += cmd.ms
      return undefined
    }
    const defaults = this.defaults[cmd.on]
    const map = this.#names[cmd.on === 2 ? 1 : 0]
    const fallbackVersion = defaults.version === undefined ? "" : String(defaults.version)
    const version = (): string => versionOf("opts" in cmd ? cmd.opts?.version : undefined, fallbackVersion)
    const expiry = (t: unknown): number | null => this.#expiresAt(timeoutOf(t, defaults.timeout))
    // "They matter only for an entry that has a timeout."
    const window = (expiresAt: number | null): number => {
      const seconds = timeoutOf("opts" in cmd ? cmd.opts?.staleIfError : undefined, null)
      return expiresAt === null || seconds === null ? 0 : seconds * 1000
    }
    // "within staleIfError ... the stale value is returned instead of the error"
    const stale = (entry: Entry | undefined): boolean =>
      entry?.expiresAt != null && this.now >= entry.expiresAt && this.now < entry.expiresAt + entry.ifError
    switch (cmd.op) {
      case "get": {
        const k = id(version(), checkKey(cmd.key))
        const entry = map.get(k)
        return this.#live(entry) ? entry.value : cmd.fallback
      }
      case "set":
      case "add": {
        const k = id(version(), checkKey(cmd.key))
        const expiresAt = expiry(cmd.opts?.timeout)
        const ifError = window(expiresAt)
        if (!storable(cmd.value)) throw new ModelError("NotStorableError")
        if (cmd.op === "add" && this.#live(map.get(k))) return false
        map.set(k, { value: structuredClone(cmd.value), expiresAt, ifError })
        return cmd.op === "add" ? true : undefined
      }
      case "getOrSet": {
        const k = id(version(), checkKey(cmd.key))
        const timeout = timeoutOf(cmd.opts?.timeout, defaults.timeout)
        const expiresAt = this.#expiresAt(timeout)
        const ifError = window(expiresAt)
        const entry = map.get(k)
        if (this.#live(entry)) return entry.value
        if (cmd.source.kind !== "value") calledFactory()
        if (cmd.source.kind === "throws") {
          const kept = entry as Entry | undefined
          if (kept && stale(kept)) return kept.value
          throw new ModelError("FactoryError")
        }
        if (!storable(cmd.source.value)) throw new ModelError("NotStorableError")
        map.set(k, { value: structuredClone(cmd.source.value), expiresAt, ifError })
        return cmd.source.value
      }
      case "getMany": {
        const v = version()
        const found = new Found()
        for (const k of cmd.keys.map(checkKey)) {
          const entry = map.get(id(v, k))
          if (this.#live(entry)) found.set(k, entry.value)
        }
        return found
      }
      case "setMany": {
        const v = version()
        const expiresAt = expiry(cmd.opts?.timeout)
        const ifError = window(expiresAt)
        // An object or a Map given the same key twice holds only the later value.
        const given = entriesOf(cmd)
        const pairs: Array<[unknown, unknown]> =
          given instanceof Map ? [...given] : Array.isArray(given) ? cmd.entries : Object.entries(given as object)
        const ks = pairs.map(([k]) => checkKey(k))
        if (!pairs.every(([, x]) => storable(x))) throw new ModelError("NotStorableError")
        // "For a key given twice, the later value wins."
        ks.forEach((k, i) => {
          map.set(id(v, k), { value: structuredClone(pairs[i]?.[1]), expiresAt, ifError })
        })
        return undefined
      }
      case "getEntry": {
        const entry = map.get(id(version(), checkKey(cmd.key)))
        if (entry && stale(entry)) return { value: entry.value, expiresAt: entry.expiresAt, stale: true }
        return this.#live(entry) ? { value: entry.value, expiresAt: entry.expiresAt, stale: false } : undefined
      }
      case "delete":
      case "deleteMany": {
        const v = version()
        const ks = new Set(cmd.op === "delete" ? [checkKey(cmd.key)] : cmd.keys.map(checkKey))
        // "an expired entry is removed but not counted"
        let removed = 0
        for (const k of ks) {
          if (this.#live(map.get(id(v, k)))) removed++
          map.delete(id(v, k))
        }
        return cmd.op === "delete" ? removed === 1 : removed
      }
      case "clear":
        map.clear()
        return undefined
      case "touch": {
        const k = id(version(), checkKey(cmd.key))
        const expiresAt = expiry(cmd.timeout)
        const entry = map.get(k)
        if (!this.#live(entry)) return false
        // The entry keeps its window, counted from its new expiry (none once it never expires).
        map.set(k, { value: entry.value, expiresAt, ifError: expiresAt === null ? 0 : entry.ifError })
        return true
      }
      case "incr":
      case "decr": {
        const delta = deltaOf(cmd.delta)
        const k = id(version(), checkKey(cmd.key))
        const entry = map.get(k)
        if (!this.#live(entry)) throw new ModelError("KeyNotFoundError")
        if (typeof entry.value !== "number") throw new ModelError("NotANumberError")
        const next = cmd.op === "incr" ? entry.value + delta : entry.value - delta
        // "The entry keeps its expiry."
        map.set(k, { ...entry, value: next })
        return next
      }
      case "sweep": {
        let removed = 0
        for (const [k, entry] of map) {
          // "sweeps remove it only then": at the end of its stale window.
          if (entry.expiresAt !== null && entry.expiresAt + entry.ifError <= this.now) {
            map.delete(k)
            removed++
          }
        }
        return removed
      }
      case "disconnect":
        return undefined
    }
  }
}

class ModelError extends Error {
  constructor(readonly kind: ErrorName) {
    super(kind)
  }
}

// ---------------------------------------------------------------------------------------------
// Running a sequence against real caches.

/** What a run of the model test counts, for docs/reliability.md. */
export interface ModelFigures {
  runs: number
  commands: number
  /** Calls that returned, by method. */
  returned: Record<string, number>
  stateChecks: number
  errors: Partial<Record<ErrorName, number>>
}

export const emptyFigures = (): ModelFigures => ({ runs: 0, commands: 0, returned: {}, stateChecks: 0, errors: {} })

export interface ModelTarget {
  readonly store: "memory" | "indexeddb"
  /** Frees the storage of a cache name once a run is over. */
  dispose(name: string): Promise<void>
}

function entriesOf(cmd: Extract<Command, { op: "setMany" }>): unknown {
  if (cmd.shape === "map") return new Map(cmd.entries)
  if (cmd.shape === "pairs") return cmd.entries.map((pair) => [...pair])
  // Object.fromEntries defines "__proto__" as an own key, as JSON.parse does.
  return Object.fromEntries(cmd.entries as Array<[string, unknown]>)
}

async function call(cache: Cache, cmd: Exclude<Command, { op: "clock" }>, onFactory: () => void): Promise<unknown> {
  const o = cmd.op
  const withOpts = <T>(run: (options: never) => T): T => run(("opts" in cmd ? cmd.opts : undefined) as never)
  switch (cmd.op) {
    case "get":
      return withOpts((options) => cache.get(cmd.key as string, cmd.fallback, options))
    case "set":
    case "add":
      return withOpts((options) => cache[cmd.op](cmd.key as string, cmd.value, options))
    case "getOrSet": {
      const { source } = cmd
      const factory =
        source.kind === "value"
          ? source.value
          : () => {
              onFactory()
              if (source.kind === "throws") throw new FactoryError("factory failed on purpose")
              return source.kind === "async" ? Promise.resolve(source.value) : source.value
            }
      return withOpts((options) => cache.getOrSet(cmd.key as string, factory, options))
    }
    case "getMany":
    case "deleteMany":
      return withOpts((options) => cache[cmd.op](cmd.keys as string[], options))
    case "setMany":
      return withOpts((options) => cache.setMany(entriesOf(cmd) as never, options))
    case "delete":
    case "getEntry":
      return withOpts((options) => cache[cmd.op](cmd.key as string, options))
    case "touch":
      return "timeout" in cmd || cmd.opts
        ? cache.touch(cmd.key as string, cmd.timeout as number, cmd.opts as never)
        : cache.touch(cmd.key as string)
    case "incr":
    case "decr":
      return "delta" in cmd || cmd.opts
        ? cache[cmd.op](cmd.key as string, cmd.delta as number, cmd.opts as never)
        : cache[cmd.op](cmd.key as string)
    case "clear":
    case "sweep":
    case "disconnect":
      return cache[cmd.op]()
  }
  throw new Error(`unknown command ${o}`)
}

function fail(step: number, cmd: Command, message: string): never {
  throw new Error(`step ${step} ${show(cmd)}: ${message}`)
}

function compare(step: number, cmd: Command, actual: Outcome, expected: Outcome): void {
  if ("error" in expected) {
    if (!("error" in actual)) fail(step, cmd, `returned ${show(actual.ok)}, expected ${expected.error}`)
    if (actual.error !== expected.error) fail(step, cmd, `threw ${actual.error}, expected ${expected.error}`)
    return
  }
  if ("error" in actual) fail(step, cmd, `threw ${actual.error}, expected ${show(expected.ok)}`)
  if (expected.ok instanceof Found) {
    const got = actual.ok as Record<string, unknown>
    if (Object.getPrototypeOf(got) !== Object.prototype) fail(step, cmd, "getMany did not return a plain object")
    const gotKeys = Object.keys(got).sort()
    const wantKeys = [...expected.ok.keys()].sort()
    if (gotKeys.join("|") !== wantKeys.join("|")) {
      fail(step, cmd, `getMany found ${show(gotKeys)}, expected ${show(wantKeys)}`)
    }
    for (const k of wantKeys) {
      if (!Object.hasOwn(got, k)) fail(step, cmd, `getMany: ${show(k)} is not an own property`)
      const diff = difference(got[k], expected.ok.get(k))
      if (diff) fail(step, cmd, `getMany[${show(k)}]: ${diff}`)
    }
    return
  }
  const diff = difference(actual.ok, expected.ok)
  if (diff) fail(step, cmd, diff)
}

function classify(error: unknown): ErrorName {
  for (const [name, type] of Object.entries(errorClasses) as Array<[ErrorName, new () => Error]>) {
    if (error instanceof type) {
      const code = codes[name]
      if (code && (error as { code?: unknown }).code !== code)
        throw new Error(`${name} with code ${show((error as { code?: unknown }).code)}`)
      return name
    }
  }
  throw error
}

/**
 * Runs one random sequence on three Cache objects (two of one name, one of another) of the target's
 * store, and checks every call's result or error class against the model, then the whole visible
 * state of both names (every key of the pool, in every version) after every step.
 */
export async function runSequence(
  target: ModelTarget,
  defaults: readonly [Defaults, Defaults, Defaults],
  commands: readonly Command[],
  figures: ModelFigures,
): Promise<void> {
  const model = new Model(defaults)
  const names = [`model-${crypto.randomUUID()}`, `model-${crypto.randomUUID()}`] as const
  const clock = (): number => model.now
  const open = (name: string, d: Defaults): Cache =>
    new Cache({ name, store: target.store, clock, sweepInterval: null, timeout: d.timeout, version: d.version })
  const caches = [open(names[0], defaults[0]), open(names[0], defaults[1]), open(names[1], defaults[2])] as const
  const checkers = [open(names[0], { timeout: null }), open(names[1], { timeout: null })] as const
  figures.runs++
  try {
    for (const [step, cmd] of commands.entries()) {
      figures.commands++
      const { outcome: expected, factoryCalled } = model.apply(cmd)
      if (cmd.op === "clock") continue
      let called = false
      const actual: Outcome = await call(caches[cmd.on], cmd, () => {
        called = true
      }).then(
        (ok) => ({ ok }),
        (error: unknown) => ({ error: classify(error) }),
      )
      if ("error" in actual) figures.errors[actual.error] = (figures.errors[actual.error] ?? 0) + 1
      else figures.returned[cmd.op] = (figures.returned[cmd.op] ?? 0) + 1
      compare(step, cmd, actual, expected)
      if (called !== factoryCalled) fail(step, cmd, `the factory was ${called ? "" : "not "}called`)
      // After every step, every key of the pool in every version, for both names.
      figures.stateChecks++
      const seen = await Promise.all(
        [0, 1].map((name) =>
          Promise.all(versionIds.map((v) => checkers[name as 0 | 1].getMany(keyPool, { version: v }))),
        ),
      )
      for (const name of [0, 1] as const) {
        versionIds.forEach((v, i) => {
          const got = seen[name]?.[i] as Record<string, unknown>
          const want = model.live(name, v)
          const gotKeys = Object.keys(got).sort()
          const wantKeys = [...want.keys()].sort()
          if (gotKeys.join("|") !== wantKeys.join("|")) {
            fail(
              step,
              cmd,
              `afterwards, name ${name} version ${show(v)} holds ${show(gotKeys)}, expected ${show(wantKeys)}`,
            )
          }
          for (const k of wantKeys) {
            const diff = difference(got[k], want.get(k))
            if (diff) fail(step, cmd, `afterwards, name ${name} version ${show(v)} key ${show(k)}: ${diff}`)
          }
        })
      }
    }
  } finally {
    await Promise.all([...caches, ...checkers].map((cache) => cache.disconnect()))
    await Promise.all(names.map((name) => target.dispose(name)))
  }
}

/** The property: any sequence of up to `maxSteps` commands, with any defaults, agrees with the model. */
export function modelProperty(target: ModelTarget, maxSteps: number, figures: ModelFigures) {
  const commands = fc.array(command, { minLength: 1, maxLength: maxSteps, size: "max" })
  return fc.asyncProperty(defaultsArb, commands, (defaults, commands) =>
    runSequence(target, defaults, commands, figures),
  )
}
