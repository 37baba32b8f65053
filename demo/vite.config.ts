// The demo's own Vite config (root = demo/): `npm start` serves it, `npm run build:demo` builds it.
import { fileURLToPath } from "node:url"
import { defineConfig } from "vite"
import { mockApi } from "./mock-api.ts"

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: here("."),
  // The demo imports the library by its package name, as an app would, but gets the source: no build needed.
  resolve: {
    alias: [
      { find: /^isocache$/, replacement: here("../src/index.ts") },
      { find: /^isocache\/storage$/, replacement: here("../src/storage.ts") },
    ],
  },
  plugins: [mockApi()],
  // idb is plain ESM: serving it as is spares the dependency optimizer, whose first run reloads the page.
  optimizeDeps: { exclude: ["idb"] },
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1", port: 4173, strictPort: false },
  build: { outDir: "dist", emptyOutDir: true },
})
