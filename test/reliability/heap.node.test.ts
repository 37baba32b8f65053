// The memory store under maxEntries stays bounded: the built package, in a plain Node process
// started with --expose-gc, writes distinct keys far past the bound, and the heap measured after
// full collections stops growing once the bound is reached. (Unbounded, the same run grows the heap
// by ~0.4 kB per entry: see docs/reliability.md.)
import { execFile } from "node:child_process"
import { existsSync } from "node:fs"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { beforeAll, expect, it } from "vitest"
import { settings, writeReport } from "./node-report.js"

const run = promisify(execFile)
const root = resolve(import.meta.dirname, "../..")
const sets = settings.full ? 1_000_000 : 200_000
const maxEntries = 10_000

interface Probe {
  sets: number
  maxEntries: number | null
  checkpoints: Array<{ sets: number; entries: number; heapGrowth: number }>
  lastReadBack: boolean
  ms: number
}

beforeAll(async () => {
  // `npm test` builds before Vitest runs; a direct `vitest run` may not have.
  if (!existsSync(join(root, "dist/index.js"))) await run("npm", ["run", "build"], { cwd: root })
}, 120_000)

it(`${sets.toLocaleString("en")} sets of distinct keys under maxEntries ${maxEntries.toLocaleString("en")}: entries and heap stay bounded`, async () => {
  const { stdout } = await run(
    process.execPath,
    ["--expose-gc", join(root, "test/reliability/heap-probe.mjs"), String(sets), String(maxEntries)],
    { cwd: root, timeout: 280_000 },
  )
  const probe = JSON.parse(stdout) as Probe
  expect(probe.checkpoints).toHaveLength(10)
  expect(probe.checkpoints.map((c) => c.entries)).toEqual(Array(10).fill(maxEntries))
  expect(probe.lastReadBack).toBe(true)
  const growth = probe.checkpoints.map((c) => c.heapGrowth)
  const [first, last] = [growth[0] as number, growth.at(-1) as number]
  // 10,000 small entries take ~5 MB; unbounded, 200,000 take ~80 MB.
  expect(last).toBeLessThan(16 * 2 ** 20)
  // From the first checkpoint (the bound already reached) to the last: no growth beyond noise.
  expect(last - first).toBeLessThan(2 * 2 ** 20)
  writeReport(`heap-${sets}`, probe)
}, 300_000)
