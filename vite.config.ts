import { fileURLToPath } from "node:url"
import type { Plugin } from "vite"
import dts from "vite-plugin-dts"
import { defineConfig } from "vitest/config"
import { browserCommands } from "./test/browser/commands.ts"
import { type EngineName, engineNames } from "./test/engines/index.ts"
import { engineProvider, testPages } from "./test/engines/vitest-provider.ts"

// The Redis entry (dist/stores/redis.*) takes the core's error classes from the package itself, not from
// a copy of its own, so that the app, the core and the store share one StoreError class.
const redisImportsCore: Plugin = {
  name: "isocache:redis-imports-core",
  enforce: "pre",
  resolveId(source, importer) {
    const fromRedis =
      importer !== undefined && /[\\/]src[\\/](stores[\\/]redis|adapters)[\\/][^\\/]*\.ts$/.test(importer)
    if (fromRedis && /^(\.\.\/)+errors\.js$/.test(source)) return { id: "isocache", external: true }
    return null
  },
}

// The browser file is loaded as it is, never bundled again: the minifier's tree-shaking annotations
// (/* @__PURE__ */) are only bytes there.
const dropAnnotations: Plugin = {
  name: "isocache:drop-annotations",
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type === "chunk") chunk.code = chunk.code.replaceAll("/* @__PURE__ */ ", "")
    }
  },
}

// `vite build` makes the npm build (ESM + CJS, idb external, bundled types);
// `vite build --mode browser` makes the one self-contained file for <script type="module">.
export default defineConfig(({ mode }) => ({
  build:
    mode === "browser"
      ? {
          emptyOutDir: false,
          minify: true,
          lib: { entry: "src/index.ts", formats: ["es"], fileName: () => "isocache.browser.min.js" },
          // Library mode keeps whitespace in ES output (for tree-shaking); this file is loaded as is.
          // Class names are kept (Cache.name, an error's constructor.name), as code and logs read them.
          rollupOptions: {
            output: {
              minify: {
                compress: { keepNames: { class: true, function: false } },
                mangle: { keepNames: { class: true, function: false } },
                codegen: { removeWhitespace: true },
              },
            },
          },
        }
      : {
          minify: false,
          sourcemap: true,
          lib: {
            entry: {
              index: "src/index.ts",
              "stores/redis": "src/stores/redis/index.ts",
              "adapters/tanstack-query": "src/adapters/tanstack-query.ts",
              "adapters/localforage": "src/adapters/localforage.ts",
              "adapters/keyv": "src/adapters/keyv.ts",
              "adapters/swr": "src/adapters/swr.ts",
              storage: "src/storage.ts",
              front: "src/front/index.ts",
            },
            formats: ["es", "cjs"],
            fileName: (format, entry) => `${entry}.${format === "es" ? "js" : "cjs"}`,
          },
          rollupOptions: {
            external: ["redis", /^node:/],
            // The core's import of the Redis entry becomes a require in CJS (see src/open-store.ts).
            output: { dynamicImportInCjs: false },
          },
        },
  // The browser file leaves out what only Node can use (src/build-target.ts).
  define: mode === "browser" ? { __ISOCACHE_BROWSER_FILE__: "true" } : {},
  plugins:
    mode === "browser"
      ? [dropAnnotations]
      : [redisImportsCore, dts({ tsconfigPath: "tsconfig.build.json", bundleTypes: true })],
  test: {
    projects: [
      {
        // From source, a redis:// cache loads the Redis store from source too (the build loads the package's).
        resolve: {
          alias: { "isocache/stores/redis": fileURLToPath(new URL("src/stores/redis/index.ts", import.meta.url)) },
        },
        test: {
          name: "node",
          environment: "node",
          include: ["test/**/*.node.test.ts"],
          setupFiles: ["test/setup/no-console.ts"],
        },
      },
      {
        test: {
          name: "happy-dom",
          environment: "happy-dom",
          include: ["test/**/*.dom.test.ts"],
          setupFiles: ["test/setup/no-console.ts"],
        },
      },
      // The library in each real engine (Debian's Chromium, Firefox ESR and WebKitGTK), against real
      // IndexedDB: the same files, one project per engine.
      ...engineNames.map((engine: EngineName) => ({
        plugins: [testPages],
        // Pre-bundled up front: a dependency found mid-run makes Vite reload the page under a test.
        optimizeDeps: {
          include: [
            "fast-check",
            "idb",
            "localforage",
            "@tanstack/query-core",
            "@tanstack/query-async-storage-persister",
            "@tanstack/query-persist-client-core",
            "react",
            "react-dom/client",
            "swr",
          ],
        },
        test: {
          name: engine,
          include: ["test/**/*.browser.test.ts"],
          setupFiles: ["test/setup/no-console.ts"],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: engineProvider(engine),
            instances: [{ browser: engine }],
            commands: browserCommands,
            screenshotFailures: false,
          },
        },
      })),
      // Node-side tests that drive each engine themselves (demo, script tag, benchmark), through
      // test/engines: the engine's name reaches them as inject("engine").
      ...engineNames.map((engine: EngineName) => ({
        test: {
          name: `e2e-${engine}`,
          environment: "node",
          include: ["test/**/*.e2e.test.ts"],
          // The benchmark's own smoke test runs once (it drives the engines it measures itself).
          exclude: engine === "chromium" ? [] : ["test/e2e/bench.e2e.test.ts"],
          provide: { engine },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      })),
    ],
  },
}))
