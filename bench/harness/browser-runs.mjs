// The run loop of a browser benchmark, the same in every engine: a warm-up run, then `runs` runs of
// every workload on every peer (order rotated per workload and run), and the expiry sweep in the
// first `sweepRuns` of them. The engine's harness supplies `call`, which runs a method of the
// benchmark page (bench/page/main.ts) and returns its result, and how a sweep is measured.

/**
 * @param {{
 *   call: (method: string, ...args: unknown[]) => Promise<any>,
 *   engine: string,
 *   sizes: object, sweepCount: number, sweepRuns: number, durabilityRuns: number, runs: number,
 *   log: (line: string) => void,
 *   measureSweep: (run: () => Promise<object>) => Promise<object>,
 * }} options
 */
export async function browserRuns({
  call,
  engine,
  sizes,
  sweepCount,
  sweepRuns,
  durabilityRuns,
  runs,
  log,
  measureSweep,
}) {
  const peers = await call("peers")
  const workloads = await call("describe", sizes)
  // Opens a store per peer, runs every workload across the peers (order rotated by `shift`; without
  // the `skipped` ones), closes.
  const run = async (runSizes, id, shift, onWorkload, skipped = () => false) => {
    const samples = Object.fromEntries(peers.map((p) => [p, {}]))
    await call("start", runSizes, id)
    for (const [w, { id: wid, label }] of workloads.entries()) {
      const order = peers.map((_, i) => peers[(i + shift + w) % peers.length]).filter((p) => !skipped(p))
      const started = Date.now()
      const got = await call("workload", wid, order)
      for (const [name, sample] of Object.entries(got)) samples[name][wid] = sample
      onWorkload?.(label, (Date.now() - started) / 1000)
    }
    await call("finish")
    return samples
  }

  // One unrecorded run at small sizes: the first peer must not pay for the JIT.
  await run({ ...sizes, n: 100, concurrent: 50, manyItems: 100, incr: 20, mixedOps: 100 }, "warmup", 0)
  log(`  ${engine} warm-up done`)
  const notes = await call("notes")
  const results = []
  const sweeps = []
  for (let r = 0; r < runs; r++) {
    const samples = await run(
      sizes,
      `run${r}`,
      r,
      (label, seconds) => log(`  ${engine} run ${r + 1}/${runs}: ${label} (${seconds.toFixed(1)} s)`),
      // The durability variants ("isocache, default" and "isocache, strict") run in the first runs only.
      (peer) => r >= durabilityRuns && peer.startsWith("isocache, "),
    )
    results.push({ samples })
    if (r >= sweepRuns) continue
    sweeps.push(await measureSweep(() => call("runSweep", sweepCount, `run${r}`)))
    log(`  ${engine} run ${r + 1}/${runs}: isocache sweep of ${sweepCount} (${sweeps.at(-1).ms.toFixed(0)} ms)`)
  }
  return { peers, workloads, notes, runs: results, sweeps }
}
