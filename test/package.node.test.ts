// Tests the built artefact, as users load it: `npm test` builds first (scripts/test.mjs).
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { gzipSync } from "node:zlib"
import { publint } from "publint"
import { beforeAll, describe, expect, it } from "vitest"

const run = promisify(execFile)
const root = resolve(import.meta.dirname, "..")

/** Runs a script with plain Node from the package root, where `isocache` resolves to the build. */
async function node(args: string[], timeoutMs = 20_000): Promise<{ stdout: string; ms: number }> {
  const started = performance.now()
  const { stdout } = await run(process.execPath, args, { cwd: root, timeout: timeoutMs })
  return { stdout, ms: performance.now() - started }
}

const exercise = `
  const cache = new Cache("auto://ssr?timeout=60")
  await cache.set("k", { n: 1 })
  await cache.set("n", 1)
  const result = {
    kind: null,
    get: await cache.get("k"),
    add: await cache.add("k", 2),
    incr: await cache.incr("n", 2),
    many: await cache.getMany(["k", "n", "x"]),
    deleted: await cache.deleteMany(["k"]),
    storable: await cache.set("f", () => 1).catch((e) => [e instanceof CacheError, e.code]),
  }
  result.kind = cache.storeKind
  console.log(JSON.stringify(result))
`
const expected = {
  kind: "memory",
  get: { n: 1 },
  add: false,
  incr: 3,
  many: { k: { n: 1 }, n: 3 },
  deleted: 1,
  storable: [true, "ERR_VALUE_NOT_STORABLE"],
}

beforeAll(async () => {
  if (!existsSync(join(root, "dist/index.js"))) await run("npm", ["run", "build"], { cwd: root })
}, 120_000)

describe("the built package in plain Node (SSR)", () => {
  it("import('isocache') works and picks the memory store", async () => {
    const { stdout } = await node([
      "--input-type=module",
      "-e",
      `import { Cache, CacheError } from "isocache"; ${exercise}`,
    ])
    expect(JSON.parse(stdout)).toEqual(expected)
  })

  it("require('isocache') works and picks the memory store", async () => {
    const { stdout } = await node([
      "-e",
      `const { Cache, CacheError } = require("isocache"); (async () => { ${exercise} })()`,
    ])
    expect(JSON.parse(stdout)).toEqual(expected)
  })

  it("importing touches no browser global, and a connected cache never keeps the process alive", async () => {
    const traps = ["window", "document", "indexedDB", "navigator", "localStorage", "self"]
      .map(
        (name) =>
          `Object.defineProperty(globalThis, ${JSON.stringify(name)}, { configurable: true, get() { touched.push(${JSON.stringify(name)}) } })`,
      )
      .join(";")
    const { stdout, ms } = await node([
      "--input-type=module",
      "-e",
      `const touched = []; ${traps};
       const { Cache } = await import("isocache");
       console.log(JSON.stringify(touched));
       const cache = new Cache({ store: "memory", sweepInterval: 1 });
       await cache.set("k", 1, { timeout: 30 });`,
    ])
    expect(JSON.parse(stdout)).toEqual([])
    expect(ms).toBeLessThan(10_000)
  })
})

describe("the package's shape", () => {
  it("passes publint", async () => {
    const { messages } = await publint({ pkgDir: root, level: "warning", strict: true })
    expect(messages).toEqual([])
  }, 30_000)

  it("the browser file is self-contained (idb inside, no bare import)", () => {
    const code = readFileSync(join(root, "dist/isocache.browser.min.js"), "utf8")
    expect(code).not.toMatch(/\bfrom\s*["'](?![./])/)
    expect(code).not.toMatch(/\bimport\s*\(\s*["'](?![./])/)
    expect(code).toMatch(/export\s*\{/)
  })

  it("the minified browser file keeps its class names (Cache.name, every error's constructor.name)", async () => {
    const browser = (await import(join(root, "dist/isocache.browser.min.js"))) as Record<string, unknown>
    const classes = Object.entries(browser).filter(
      ([exported, value]) => typeof value === "function" && /^[A-Z]/.test(exported),
    )
    expect(classes.map(([exported]) => exported)).toEqual(
      expect.arrayContaining(["Cache", "CacheError", "InvalidArgumentError"]),
    )
    for (const [exported, value] of classes) expect((value as () => void).name, exported).toBe(exported)
    const Invalid = browser.InvalidArgumentError as new (message: string) => Error
    expect(new Invalid("x").constructor.name).toBe("InvalidArgumentError")
  })

  it("the declarations compile for ESM and CJS consumers without Node types", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isocache-types-"))
    try {
      const consumer = `import { Cache, CacheError, type CacheOptions } from "isocache"
const options: CacheOptions = { timeout: 60 }
const cache = new Cache(options)
export async function main(): Promise<number> {
  await cache.set("k", 1)
  try { return await cache.incr("k") } catch (e) { if (e instanceof CacheError) return -1; throw e }
}
`
      writeFileSync(join(dir, "esm.mts"), consumer)
      writeFileSync(join(dir, "cjs.cts"), consumer)
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: "node16",
            moduleResolution: "node16",
            target: "ES2022",
            lib: ["ES2022", "ESNext.Disposable", "DOM"],
            types: [],
            skipLibCheck: false,
            baseUrl: ".",
            paths: {},
          },
          files: ["esm.mts", "cjs.cts"],
        }),
      )
      // Resolve "isocache" through a node_modules link to this package, as an installed copy would.
      await run("mkdir", ["-p", join(dir, "node_modules")])
      await run("ln", ["-s", root, join(dir, "node_modules", "isocache")])
      await run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe("size", () => {
  // The budget of the file with every feature of this release (bench/results.md says where the bytes
  // go). The README states the size: kept in sync.
  const budget = 10_000
  it(`the self-contained browser file stays under ${budget} B gzipped, as the README says`, () => {
    const file = readFileSync(join(root, "dist/isocache.browser.min.js"))
    const gzipped = gzipSync(file, { level: 9 }).length
    expect(gzipped).toBeLessThanOrEqual(budget)
    const stated = /browser file is ([\d.]+) kB minified, ([\d.]+) kB gzipped/.exec(
      readFileSync(join(root, "README.md"), "utf8"),
    )
    expect(stated?.slice(1).map(Number), "README.md's figures").toEqual([
      Number((file.length / 1000).toFixed(1)),
      Number((gzipped / 1000).toFixed(1)),
    ])
  })
})
