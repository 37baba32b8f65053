// The Node half: bundles bench/memory/main.ts with Vite (isocache from its TypeScript source) and runs
// it in a child process of its own, so that the Chromium run's garbage does not weigh on it.
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "vite"

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "memory", "main.ts")

/** @param {{ sizes: object, runs: number, log: (line: string) => void }} options */
export async function benchNode({ sizes, runs, log }) {
  const outDir = mkdtempSync(join(tmpdir(), "isocache-bench-node-"))
  try {
    await build({
      configFile: false,
      logLevel: "warn",
      // Everything bundled, so that the output runs from the temporary directory.
      ssr: { noExternal: true, target: "node" },
      build: {
        ssr: entry,
        outDir,
        emptyOutDir: true,
        minify: false,
        target: "node20",
        reportCompressedSize: false,
        rollupOptions: { output: { format: "es", entryFileNames: "memory.mjs" } },
      },
    })
    const stdout = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ["--expose-gc", join(outDir, "memory.mjs"), JSON.stringify({ sizes, runs })],
        { stdio: ["ignore", "pipe", "pipe"] },
      )
      let out = ""
      let err = ""
      child.stdout.on("data", (chunk) => {
        out += chunk
      })
      child.stderr.on("data", (chunk) => {
        err += chunk
        for (const line of String(chunk).split("\n")) if (line.trim()) log(line)
      })
      child.on("error", reject)
      child.on("close", (code) =>
        code === 0 ? resolve(out) : reject(new Error(`the Node benchmark exited with ${code}:\n${err}`)),
      )
    })
    return { version: process.version, ...JSON.parse(stdout) }
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}
