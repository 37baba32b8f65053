// Finishes the bundled declarations that `vite build` wrote (vite-plugin-dts):
// - `Cache` keeps its name: the bundler renames it `Cache_2` beside the DOM's global `Cache` (of the
//   Cache Storage API), which editors then show in hovers;
// - `Symbol.asyncDispose` is declared (as TypeScript's esnext.disposable and @types/node declare it),
//   so that the declarations compile in a project whose `lib` lacks it (ES2022, Node 20);
// - one copy serves `require` consumers as a .d.cts beside each .d.ts (a .d.ts next to a .cjs would be
//   read as ESM types), and `isocache/browser` gets the core's declarations.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs"

const disposable = `
declare global {
  interface SymbolConstructor {
    /** The method \`await using\` calls at the end of a scope (declared here for older \`lib\` settings). */
    readonly asyncDispose: unique symbol
  }
}
`

const core = "dist/index.d.ts"
let text = readFileSync(core, "utf8")
if (!text.includes("declare class Cache_2 ")) throw new Error(`${core}: expected the bundler's Cache_2`)
text = text
  .replace(/^export \{ Cache_2 as Cache \}\s*$/m, "")
  .replace("declare class Cache_2 ", "export declare class Cache ")
  .replace(/\bCache_2\b/g, "Cache")
if (/\b\w+_\d+\b/.test(text.replace(/\/\*\*[\s\S]*?\*\//g, ""))) throw new Error(`${core}: another renamed declaration`)
writeFileSync(core, `${text.trimEnd()}\n${disposable}`)
copyFileSync(core, "dist/isocache.browser.min.d.ts")

for (const entry of [
  "dist/index",
  "dist/stores/redis",
  "dist/adapters/tanstack-query",
  "dist/adapters/localforage",
  "dist/adapters/keyv",
  "dist/adapters/swr",
  "dist/storage",
  "dist/front",
])
  copyFileSync(`${entry}.d.ts`, `${entry}.d.cts`)
