// The SWR provider with the real swr and React, in each engine: data fetched once is written through
// to IndexedDB; after a "reload" (a new cache object and provider, the same name) the first render shows
// it with the API gone; another cache's write reaches the provider; bad options are refused.
import { createElement, type ReactNode } from "react"
import { createRoot, type Root } from "react-dom/client"
import useSWR, { SWRConfig } from "swr"
import { afterEach, expect, it } from "vitest"
import { swrCacheProvider } from "../../src/adapters/swr.js"
import { InvalidArgumentError } from "../../src/index.js"
import { openCaches } from "../browser/open-caches.js"

const open = openCaches({ clear: true })

const roots: Root[] = []
afterEach(() => {
  for (const root of roots.splice(0)) root.unmount()
})

type Fetcher = () => Promise<{ name: string }>

/** A user's name through `useSWR(path, fetcher)`. */
function User({ path, fetcher }: { readonly path: string; readonly fetcher: Fetcher }): ReactNode {
  const { data, error } = useSWR<{ name: string }>(path, fetcher, { shouldRetryOnError: false })
  return error ? "offline" : (data?.name ?? "loading")
}

/** Renders a User under an SWRConfig with `provider`; returns the element it renders into. */
function show(provider: Awaited<ReturnType<typeof swrCacheProvider>>, path: string, fetcher: Fetcher) {
  const host = document.createElement("p")
  document.body.append(host)
  const root = createRoot(host)
  roots.push(root)
  root.render(createElement(SWRConfig, { value: { provider } }, createElement(User, { path, fetcher })))
  return host
}

it("data SWR fetched is written through, and a reloaded page shows it at once with the API gone", async () => {
  const name = `swr-${crypto.randomUUID()}`
  const first = open(name)
  let fetches = 0
  const online = show(await swrCacheProvider(first), "/api/user/1", async () => {
    fetches++
    return { name: "Ada" }
  })
  await expect.poll(() => online.textContent).toBe("Ada")
  await expect.poll(() => first.get("/api/user/1")).toEqual({ name: "Ada" })
  expect(fetches).toBe(1)

  // A reload: a new cache object on the name and a new provider; the API never answers.
  const offline = show(await swrCacheProvider(open(name)), "/api/user/1", () => new Promise(() => {}))
  await expect.poll(() => offline.textContent).toBe("Ada")
})

it("keys, get, set and delete work synchronously; another cache's write reaches the provider", async () => {
  const name = `swr-${crypto.randomUUID()}`
  const mine = open(name)
  const other = open(name)
  await other.set("a", 1)
  const cache = (await swrCacheProvider(mine, { timeout: 60 }))()
  expect([...cache.keys()]).toEqual(["a"])
  expect(cache.get("a")).toEqual({ data: 1 })
  cache.set("b", { data: { n: 2 }, isValidating: false })
  expect(cache.get("b")).toEqual({ data: { n: 2 }, isValidating: false })
  await expect.poll(() => other.get("b")).toEqual({ n: 2 })
  expect((await mine.getEntry("b"))?.expiresAt).not.toBeNull()
  await other.set("a", 10)
  await expect.poll(() => cache.get("a")?.data).toBe(10)
  cache.delete("a")
  expect(cache.get("a")).toBeUndefined()
  await expect.poll(() => other.get("a")).toBeUndefined()
})

it("data the cache cannot store stays in memory and is reported; bad options are refused", async () => {
  const errors: string[] = []
  const cache = (
    await swrCacheProvider(open(`swr-${crypto.randomUUID()}`), { onError: (_, key) => errors.push(key) })
  )()
  cache.set("fn", { data: () => 1 })
  expect(typeof cache.get("fn")?.data).toBe("function")
  await expect.poll(() => errors).toEqual(["fn"])
  await expect(swrCacheProvider(open("x"), { ttl: 1 } as never)).rejects.toThrow(InvalidArgumentError)
  await expect(swrCacheProvider(open("x"), { timeout: 0 })).rejects.toThrow(/timeout/)
})
