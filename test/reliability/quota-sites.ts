// The quota tests' fresh origins (`<prefix>-<uuid>.localhost`), each given a quota of its own by the
// engine (Chromium: the DevTools protocol; Firefox: a browser on a capped profile), lifted after
// each test; and their workloads (quota-workloads.ts) run in a watched tab of such an origin.
import { afterEach, expect } from "vitest"
import { commands } from "vitest/browser"

const workloads = "/test/reliability/quota-workloads.ts"
const sites: string[] = []
afterEach(async () => {
  await Promise.all(sites.splice(0).map((site) => commands.overrideQuota(null, site)))
})

/** A fresh origin's site name, its quota lifted after the test. */
export function freshSite(prefix: string): string {
  const site = `${prefix}-${crypto.randomUUID()}`
  sites.push(site)
  return site
}

/** Runs a workload in a new tab of `site`, and fails on anything the tab wrote to its console or left unhandled. */
export async function inTab<T>(site: string, exportName: string, ...args: unknown[]): Promise<T> {
  const { result, problems } = await commands.runInWatchedTab<T>(workloads, exportName, args, site)
  expect(problems, `${exportName} in ${site}`).toEqual({ console: [], pageErrors: [], unhandledRejections: [] })
  return result
}
