// The Node half: bundles bench/memory/main.ts with Vite (isocache from its TypeScript source) and runs
// it in a child process of its own, so that the Chromium run's garbage does not weigh on it. The Redis
// part (bench/harness/redis.mjs) runs bench/redis/main.ts the same way, through `runBundled`.
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "vite"

const bench = join(dirname(fileURLToPath(import.meta.url)), "..")

/**
 * Bundles `entry` (every dependency inside, so that it runs from a temporary directory), runs it with
 * `--expose-gc` and the settings as JSON in argv, passes its stderr lines to `log` and returns the JSON
 * it printed on stdout.
 * @param {{ entry: string, name: string, settings: object, log: (line: string) => void }} options
 */
export async function runBundled({ entry, name, settings, log }) {
  const outDir = mkdtempSync(join(tmpdir(), `isocache-bench-${name}-`))
  try {
    await build({
      configFile: false,
      logLevel: "warn",
      ssr: { noExternal: true, target: "node" },
      build: {
        ssr: entry,
        outDir,
        emptyOutDir: true,
        minify: false,
        target: "node20",
        reportCompressedSize: false,
        rollupOptions: { output: { format: "es", entryFileNames: `${name}.mjs` } },
      },
    })
    const stdout = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--expose-gc", join(outDir, `${name}.mjs`), JSON.stringify(settings)], {
        stdio: ["ignore", "pipe", "pipe"],
      })
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
        code === 0 ? resolve(out) : reject(new Error(`the ${name} benchmark exited with ${code}:\n${err}`)),
      )
    })
    return JSON.parse(stdout)
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}

/** @param {{ sizes: object, runs: number, log: (line: string) => void }} options */
export async function benchNode({ sizes, runs, log }) {
  const result = await runBundled({
    entry: join(bench, "memory", "main.ts"),
    name: "memory",
    settings: { sizes, runs },
    log,
  })
  return { version: process.version, ...result }
}
