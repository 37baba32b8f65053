// The built self-contained file, loaded by a plain HTML page with <script type="module"> (no bundler,
// no import map), in each real engine.
import { execFile } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, expect, it } from "vitest"
import { type Engine, launchEngine } from "../engines/index.ts"
import { type PageProblems, problemsScript, readProblems } from "../engines/problems.ts"
import { engineName } from "./engine.ts"

const root = resolve(import.meta.dirname, "../..")
const files: Record<string, [path: string, type: string]> = {
  "/index.html": [join(root, "test/e2e/fixtures/script-module.html"), "text/html"],
  "/isocache.browser.min.js": [join(root, "dist/isocache.browser.min.js"), "text/javascript"],
}

let server: Server
let engine: Engine
let origin: string

beforeAll(async () => {
  if (!existsSync(files["/isocache.browser.min.js"]?.[0] ?? "")) {
    await promisify(execFile)("npm", ["run", "build"], { cwd: root })
  }
  server = createServer((request, response) => {
    const file = files[new URL(request.url ?? "/", "http://x").pathname]
    if (!file) {
      // The browser's favicon request: nothing to serve, and nothing to report.
      response.writeHead(204).end()
      return
    }
    const body = readFileSync(file[0], "utf8")
    // The page records its own console errors and uncaught errors (see problems.ts).
    const served = file[1] === "text/html" ? body.replace("<head>", `<head>${problemsScript}`) : body
    response.writeHead(200, { "content-type": file[1] }).end(served)
  })
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  engine = await launchEngine(engineName)
})

afterAll(async () => {
  await engine?.close()
  await new Promise((done) => server?.close(done))
})

it("a plain <script type=module> page runs every method from the built file", async () => {
  const page = await engine.openTab(`${origin}/index.html`)
  const text = await page.call<string>(
    `() => new Promise((resolve, reject) => {
      const started = Date.now()
      const check = () => {
        const results = document.querySelector("#results[data-done]")
        if (results) resolve(results.textContent)
        else if (Date.now() - started > 30000) reject(new Error("the page never finished"))
        else setTimeout(check, 20)
      }
      check()
    })`,
  )
  const results = JSON.parse(text || "{}")
  expect(results).toEqual({
    storeKind: "indexeddb",
    get: { n: 1, when: new Date(0).toISOString() },
    getDefault: "fallback",
    add: [true, false],
    getOrSet: "computed",
    getMany: { d: 4, e: 5 },
    touch: true,
    incr: 15,
    decr: 14,
    incrMissing: { name: "KeyNotFoundError", code: "ERR_KEY_NOT_FOUND", isCacheError: true },
    incrString: { name: "NotANumberError", code: "ERR_NOT_A_NUMBER", isCacheError: true },
    badTimeout: { name: "InvalidArgumentError", code: "ERR_INVALID_ARGUMENT", isCacheError: true },
    delete: true,
    deleteMany: 2,
    sweep: 0,
    afterClear: {},
    instances: [true, "ERR_NOT_A_NUMBER"],
    reconnected: "gone",
  })
  expect(await page.call<PageProblems>(readProblems)).toEqual({ console: [], pageErrors: [], unhandledRejections: [] })
  await page.close()
})
