// One entry per method of Cache: what the panel asks for, and how it calls the method.

import type { Cache } from "isocache"
import { parseDelta, parseEntries, parseJson, parseKeys, parseTimeout, parseVersion } from "./inputs.ts"
import { noteVersion } from "./read-cache.ts"

/** The kinds of input a panel can have; each panel has at most one of each. */
export type FieldName = "key" | "value" | "default" | "timeout" | "version" | "delta" | "keys" | "entries"

export interface FieldSpec {
  readonly label: string
  readonly hint?: string
  readonly placeholder?: string
  readonly multiline?: boolean
  /** Takes a full row of the panel rather than half of one. */
  readonly wide?: boolean
}

export const fieldSpecs: Record<FieldName, FieldSpec> = {
  key: { label: "key", placeholder: "any string", wide: true },
  value: { label: "value (JSON)", hint: 'e.g. "text", 42, [1, 2], {"a": 1}', multiline: true, wide: true },
  default: { label: "default (JSON)", placeholder: "undefined", wide: true },
  timeout: { label: "timeout (s)", placeholder: "default" },
  version: { label: "version", placeholder: "default" },
  delta: { label: "delta", placeholder: "1" },
  keys: { label: "keys", hint: "comma-separated, or a JSON array", wide: true },
  entries: { label: "entries (JSON object)", placeholder: '{"key": value, …}', multiline: true, wide: true },
}

/** Reads a panel's inputs as arguments; a JSON mistake throws an InputError. */
export interface Arguments {
  key(): string
  value(): unknown
  defaultValue(): unknown
  timeout(): number | null | undefined
  version(): string | null | undefined
  delta(): number | undefined
  keys(): Iterable<string>
  entries(): ReturnType<typeof parseEntries>
}

export function argumentsOf(text: (field: FieldName) => string): Arguments {
  return {
    key: () => text("key"),
    value: () => parseJson(text("value"), "value"),
    defaultValue: () => parseJson(text("default"), "default", true),
    timeout: () => parseTimeout(text("timeout")),
    version: () => {
      const version = parseVersion(text("version"))
      noteVersion(version)
      return version
    },
    delta: () => parseDelta(text("delta")),
    keys: () => parseKeys(text("keys")),
    entries: () => parseEntries(text("entries")),
  }
}

export interface MethodSpec {
  readonly method: string
  /** The parameters, as the title shows them. */
  readonly params: string
  readonly about: string
  /** The inputs, in order, with the text they start with. */
  readonly fields: ReadonlyArray<readonly [FieldName, string]>
  run(cache: Cache, args: Arguments): Promise<unknown>
}

export const methodSpecs: readonly MethodSpec[] = [
  {
    method: "set",
    params: "(key, value, { timeout, version })",
    about: "Stores a copy of the value, replacing the entry and its expiry.",
    fields: [
      ["key", "user:42"],
      ["value", '{"name": "Ada", "langs": ["en", "fr"]}'],
      ["timeout", "30"],
      ["version", ""],
    ],
    run: (c, a) => c.set(a.key(), a.value(), { timeout: a.timeout(), version: a.version() }),
  },
  {
    method: "get",
    params: "(key, default, { version })",
    about: "The live value, or the default when the key is missing or expired.",
    fields: [
      ["key", "user:42"],
      ["default", ""],
      ["version", ""],
    ],
    run: (c, a) => c.get(a.key(), a.defaultValue(), { version: a.version() }),
  },
  {
    method: "add",
    params: "(key, value, { timeout, version })",
    about: "Stores only if the key has no live entry; tells whether it did. Atomic.",
    fields: [
      ["key", "lock:job"],
      ["value", "true"],
      ["timeout", "10"],
      ["version", ""],
    ],
    run: (c, a) => c.add(a.key(), a.value(), { timeout: a.timeout(), version: a.version() }),
  },
  {
    method: "getOrSet",
    params: "(key, value, { timeout, version })",
    about: "The live value; on a miss, stores this one and returns it.",
    fields: [
      ["key", "settings"],
      ["value", '{"theme": "dark"}'],
      ["timeout", "60"],
      ["version", ""],
    ],
    run: (c, a) => c.getOrSet(a.key(), a.value(), { timeout: a.timeout(), version: a.version() }),
  },
  {
    method: "getMany",
    params: "(keys, { version })",
    about: "Reads many keys in one transaction; misses are left out.",
    fields: [
      ["keys", "user:42, settings, missing"],
      ["version", ""],
    ],
    run: (c, a) => c.getMany(a.keys(), { version: a.version() }),
  },
  {
    method: "setMany",
    params: "(entries, { timeout, version })",
    about: "Writes all entries in one transaction, or none.",
    fields: [
      ["entries", '{"hits": 0, "a": 1, "b": [2, 3]}'],
      ["timeout", "45"],
      ["version", ""],
    ],
    run: (c, a) => c.setMany(a.entries(), { timeout: a.timeout(), version: a.version() }),
  },
  {
    method: "incr",
    params: "(key, delta, { version })",
    about: "Adds delta to a numeric entry in one read-write transaction.",
    fields: [
      ["key", "hits"],
      ["delta", "1"],
      ["version", ""],
    ],
    run: (c, a) => c.incr(a.key(), a.delta(), { version: a.version() }),
  },
  {
    method: "decr",
    params: "(key, delta, { version })",
    about: "Subtracts delta from a numeric entry, atomically too.",
    fields: [
      ["key", "hits"],
      ["delta", "1"],
      ["version", ""],
    ],
    run: (c, a) => c.decr(a.key(), a.delta(), { version: a.version() }),
  },
  {
    method: "touch",
    params: "(key, timeout, { version })",
    about: "Gives a live entry a new expiry, counted from now.",
    fields: [
      ["key", "user:42"],
      ["timeout", "120"],
      ["version", ""],
    ],
    run: (c, a) => c.touch(a.key(), a.timeout(), { version: a.version() }),
  },
  {
    method: "delete",
    params: "(key, { version })",
    about: "Removes a key; tells whether a live entry was there.",
    fields: [
      ["key", "a"],
      ["version", ""],
    ],
    run: (c, a) => c.delete(a.key(), { version: a.version() }),
  },
  {
    method: "deleteMany",
    params: "(keys, { version })",
    about: "Removes many keys in one transaction; counts the live ones.",
    fields: [
      ["keys", "a, b"],
      ["version", ""],
    ],
    run: (c, a) => c.deleteMany(a.keys(), { version: a.version() }),
  },
  {
    method: "clear",
    params: "()",
    about: "Removes every entry of this cache, of all versions.",
    fields: [],
    run: (c) => c.clear(),
  },
  {
    method: "sweep",
    params: "()",
    about: "Deletes expired entries from storage now (also runs every minute).",
    fields: [],
    run: (c) => c.sweep(),
  },
  {
    method: "connect",
    params: "()",
    about: "Opens the store now rather than on the first call.",
    fields: [],
    run: (c) => c.connect(),
  },
  {
    method: "disconnect",
    params: "()",
    about: "Closes the store; entries stay, and the next call reconnects.",
    fields: [],
    run: (c) => c.disconnect(),
  },
]
