// The reliability tests print nothing (the console guard fails tests that do): with
// RELIABILITY_REPORT=1 they write their figures to test-results/reliability/<name>.json instead,
// which docs/reliability.md quotes.
import { mkdirSync, writeFileSync } from "node:fs"

/** RELIABILITY_FULL=1 scales the bounded runs of `npm test` up; RELIABILITY_SEED replays a seed. */
export const settings = {
  full: process.env.RELIABILITY_FULL === "1",
  seed: process.env.RELIABILITY_SEED ? Number(process.env.RELIABILITY_SEED) : null,
}

export function writeReport(name: string, figures: unknown): void {
  if (process.env.RELIABILITY_REPORT !== "1") return
  mkdirSync("test-results/reliability", { recursive: true })
  writeFileSync(`test-results/reliability/${name}.json`, `${JSON.stringify(figures, null, 2)}\n`)
}

/** A fresh seed for fast-check (printed by fast-check when a property fails), unless one is replayed. */
export const seed = (): number => settings.seed ?? Date.now() ^ Math.floor(Math.random() * 0x7fffffff)
