import { playwright } from "@vitest/browser-playwright"
import dts from "vite-plugin-dts"
import { defineConfig } from "vitest/config"
import { chromiumArgs, chromiumPath } from "./test/browser/chromium.ts"
import { browserCommands } from "./test/browser/commands.ts"

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
          rollupOptions: { output: { minify: true } },
        }
      : {
          minify: false,
          sourcemap: true,
          lib: {
            entry: "src/index.ts",
            formats: ["es", "cjs"],
            fileName: (format) => (format === "es" ? "index.js" : "index.cjs"),
          },
          rollupOptions: { external: ["idb"] },
        },
  plugins: mode === "browser" ? [] : [dts({ tsconfigPath: "tsconfig.build.json", bundleTypes: true })],
  test: {
    projects: [
      {
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
      {
        // The library in real headless Chromium (Debian's), against real IndexedDB.
        test: {
          name: "chromium",
          include: ["test/**/*.browser.test.ts"],
          setupFiles: ["test/setup/no-console.ts"],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
            instances: [{ browser: "chromium" }],
            commands: browserCommands,
          },
        },
      },
      {
        // Node-side tests that drive Chromium themselves with Playwright (demo, script tag, benchmark).
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/**/*.e2e.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
}))
