// Bundle sizes, all measured the same way: a Vite (rolldown) library build of a one-line entry
// (bench/sizes/*.js), minified ESM with every dependency inside, then gzip -9 through node:zlib.
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { build } from "vite"

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const entries = join(root, "bench", "sizes")

/** What is measured, in table order: the entry file (or the browser build) and its label. */
const imports = [
  { label: "isocache browser file (`isocache.browser.min.js`, all exports)", browserFile: true },
  { label: "isocache `{ Cache }`", entry: "isocache-cache.js" },
  {
    label: "isocache `{ createIndexedDBStore }` alone: the floor of a Cache on IndexedDB",
    entry: "isocache-indexeddb-store.js",
  },
  { label: "idb-keyval `{ get, set }`", entry: "idb-keyval-get-set.js" },
  { label: "idb-keyval `{ createStore, get, set, getMany, setMany, update }`", entry: "idb-keyval-cache-like.js" },
  { label: "idb `{ openDB }`", entry: "idb-opendb.js" },
  { label: "localforage (default export)", entry: "localforage.js" },
  { label: "dexie (default export)", entry: "dexie.js" },
]

const codeOf = (output) =>
  (Array.isArray(output) ? output : [output])
    .flatMap((o) => o.output)
    .filter((chunk) => chunk.type === "chunk")
    .map((chunk) => chunk.code)
    .join("")

// The browser file exactly as `npm run build` makes it (the project's config, mode "browser"), built
// in memory so that dist/ is left alone.
const buildBrowserFile = () =>
  build({
    root,
    configFile: join(root, "vite.config.ts"),
    mode: "browser",
    logLevel: "silent",
    build: { write: false },
  })

const buildEntry = (entry) =>
  build({
    root,
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      minify: true,
      lib: { entry: join(entries, entry), formats: ["es"], fileName: "bundle" },
      // Library mode keeps whitespace in ES output; minify it too, as the browser file's build does.
      rollupOptions: { output: { minify: true } },
    },
  })

export async function bundleSizes() {
  const rows = []
  for (const item of imports) {
    const code = codeOf(item.browserFile ? await buildBrowserFile() : await buildEntry(item.entry))
    rows.push({
      label: item.label,
      min: Buffer.byteLength(code),
      gzip: gzipSync(code, { level: 9 }).length,
    })
  }
  return rows
}
