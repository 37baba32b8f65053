// `npm run build:demo` builds a static copy of the demo.
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "vite"
import { expect, it } from "vitest"

const demoConfig = fileURLToPath(new URL("../demo/vite.config.ts", import.meta.url))

it("builds a static copy of the demo", async () => {
  const outDir = mkdtempSync(join(tmpdir(), "isocache-demo-"))
  try {
    await build({ configFile: demoConfig, logLevel: "warn", build: { outDir, emptyOutDir: true } })
    expect(existsSync(join(outDir, "index.html"))).toBe(true)
    expect(readdirSync(join(outDir, "assets")).some((file) => file.endsWith(".js"))).toBe(true)
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
})
