// The Redis part: starts a private redis-server (a free loopback port, persistence off), runs
// bench/redis/main.ts against it in a child process (bundled as bench/memory/main.ts is, see node.mjs),
// and stops the server at the end. Without redis-server the part is skipped, loudly.
import { execFileSync, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { createServer } from "node:net"
import { delimiter, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { runBundled } from "./node.mjs"

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "redis", "main.ts")

/** The redis-server binary: $REDIS_SERVER, else the PATH, else /usr/bin (as test/redis/server.ts looks). */
export function findRedisServer() {
  if (process.env.REDIS_SERVER) return process.env.REDIS_SERVER
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "redis-server")
    if (dir && existsSync(candidate)) return candidate
  }
  return existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))))
    })
  })
}

// Starts redis-server on `port` and resolves once it accepts connections.
function launch(binary, port) {
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  })
  // Never leave a server behind, even when the benchmark throws or is interrupted.
  const kill = () => child.kill("SIGKILL")
  process.once("exit", kill)
  child.once("exit", () => process.off("exit", kill))
  return new Promise((resolve, reject) => {
    let output = ""
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000)
    const fail = (error) => {
      clearTimeout(timer)
      child.kill("SIGKILL")
      reject(error)
    }
    const onData = (chunk) => {
      output += chunk
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer)
        child.stdout.off("data", onData)
        child.stdout.resume()
        resolve(child)
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", (chunk) => {
      output += chunk
    })
    child.once("error", fail)
    child.once("exit", (code) => fail(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)))
  })
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once("exit", () => resolve())
    child.kill("SIGTERM")
  })
}

/**
 * @param {{ sizes: object, runs: number, log: (line: string) => void }} options
 * @returns the samples, or `null` when redis-server is missing
 */
export async function benchRedis({ sizes, runs, log }) {
  const binary = findRedisServer()
  if (binary === null) {
    log("!! redis-server not found: SKIPPING the Redis benchmark (install it: apt-get install -y redis-server)")
    return null
  }
  const server = /v=(\S+)/.exec(execFileSync(binary, ["--version"], { encoding: "utf8" }))?.[1] ?? "?"
  let child = null
  let port = 0
  // Another process may take the free port between the probe and the start: try a few.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort()
    try {
      child = await launch(binary, port)
    } catch (error) {
      if (attempt === 5) throw error
    }
  }
  try {
    const url = `redis://127.0.0.1:${port}/0`
    const result = await runBundled({ entry, name: "redis", settings: { url, sizes, runs }, log })
    return { version: process.version, server, ...result }
  } finally {
    await stop(child)
  }
}
