// The published declarations, as a TypeScript project outside this repository reads them: a Node-only
// project (lib ES2022, no DOM, no @types/node, skipLibCheck off), under each moduleResolution a user
// may have, with every entry point (isocache, isocache/stores/redis, isocache/browser, the adapters).
import { execFile } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const run = promisify(execFile)
const root = resolve(import.meta.dirname, "..")
const tsc = join(root, "node_modules/typescript/bin/tsc")
const project = mkdtempSync(join(tmpdir(), "isocache-types-"))

beforeAll(async () => {
  if (!existsSync(join(root, "dist/index.d.ts"))) await run("npm", ["run", "build"], { cwd: root })
  mkdirSync(join(project, "node_modules"))
  symlinkSync(root, join(project, "node_modules/isocache"), "dir")
}, 120_000)
afterAll(() => rmSync(project, { recursive: true, force: true }))

const usage = `
import { Cache, createIndexedDBStore, InvalidArgumentError } from "isocache"
import { createRedisStore } from "isocache/stores/redis"
import { Cache as BrowserCache } from "isocache/browser"
import { createQueryStorage, queryPersisterOptions } from "isocache/adapters/tanstack-query"
import { createLocalForage, importLocalForage } from "isocache/adapters/localforage"
import { KeyvCache } from "isocache/adapters/keyv"
import { persistStorage, type StorageUsage, storageEstimate } from "isocache/storage"

export async function main(): Promise<void> {
  const cache = new Cache({ name: "api", timeout: 60, store: createIndexedDBStore() })
  const found: Partial<Record<string, number>> = await cache.getMany<number>(["a"])
  const browser: BrowserCache = new BrowserCache({ store: "memory" })
  void createRedisStore({ url: "redis://localhost:6379" })
  void found
  // A Cache is what the adapter takes, with no cast.
  void createQueryStorage<{ n: number }>(cache).getItem("k")
  void queryPersisterOptions(cache, { timeout: 60 })
  void new KeyvCache(cache).get("k")
  const usage: StorageUsage | null = await storageEstimate(cache)
  const persisted: boolean = await persistStorage(cache)
  void usage
  void persisted
  void createLocalForage(cache).getItem<number>("k")
  void importLocalForage({ iterate: async () => undefined as never }, cache, { timeout: 60 })
  void browser
  void InvalidArgumentError
}
`

/** Type-checks `files` with these compiler options; returns tsc's diagnostics ("" when clean). */
async function check(options: Record<string, unknown>, files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(project, "p-"))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  const compilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: "ES2022",
    lib: ["ES2022"],
    types: [],
    ...options,
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: Object.keys(files) }))
  try {
    await run(process.execPath, [tsc, "-p", dir], { cwd: dir, timeout: 60_000 })
    return ""
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error)
  }
}

const resolutions: Array<[string, Record<string, unknown>]> = [
  ["nodenext", { module: "nodenext", moduleResolution: "nodenext" }],
  ["bundler", { module: "esnext", moduleResolution: "bundler" }],
  ["node10 (CommonJS)", { module: "commonjs", moduleResolution: "node10" }],
]

describe("the declarations in a Node-only TypeScript project (lib ES2022, skipLibCheck: false)", () => {
  it.each(resolutions)(
    "every entry point resolves and compiles under moduleResolution %s",
    async (_, options) => {
      const ts = (options.module as string) === "nodenext" ? "main.mts" : "main.ts"
      expect(await check(options, { [ts]: usage })).toBe("")
    },
    60_000,
  )

  it("a misuse is a type error that names Cache (not a bundler's Cache_2)", async () => {
    const diagnostics = await check(
      { module: "esnext", moduleResolution: "bundler" },
      { "misuse.ts": `import { Cache } from "isocache"\nexport const n: number = new Cache()\n` },
    )
    expect(diagnostics).toMatch(/Type 'Cache' is not assignable to type 'number'/)
    expect(diagnostics).not.toMatch(/Cache_\d/)
  }, 60_000)
})
