// `await using` in a module of its own, imported only where the engine has it (WebKitGTK 2.50 has
// neither the syntax nor Symbol.asyncDispose, and a syntax error would fail the whole suite's file).
import type { Cache } from "../../src/index.js"

/** Runs `use` on `cache` inside a scope that holds it with `await using`. */
export async function inAwaitUsingScope(cache: Cache, use: (cache: Cache) => Promise<void>): Promise<void> {
  await using scoped = cache
  await use(scoped)
}
