// A private redis-server per test file: a free loopback port, no persistence, stopped afterwards.
// Without the binary the Redis tests are skipped with a loud line on stderr; under CI=true they fail.
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { createClient, RESP_TYPES } from "redis"
import { afterAll, beforeAll } from "vitest"
import { redisLayout } from "../../src/stores/redis/keys.js"

const ci = process.env.CI === "true" || process.env.CI === "1"

/**
 * Where a Redis binary is: `$<variable>`, else on the PATH, else in /usr/bin.
 * @param command - `redis-server` or `redis-cli`
 * @param variable - the environment variable that names it
 */
export function findBinary(command: string, variable: string): string | null {
  const given = process.env[variable]
  if (given) return given
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, command)
    if (dir && existsSync(candidate)) return candidate
  }
  return existsSync(`/usr/bin/${command}`) ? `/usr/bin/${command}` : null
}

const binary = findBinary("redis-server", "REDIS_SERVER")

/** Whether the Redis tests of this file are skipped (no redis-server, and not under CI). */
export const skipRedis = binary === null && !ci

if (skipRedis) {
  // console.warn would trip the stray-output guard; this line is meant to be seen.
  process.stderr.write(
    "!! redis-server not found: SKIPPING the Redis store tests (install it: apt-get install -y redis-server)\n",
  )
}

/** A running redis-server the test controls. */
export interface RedisServer {
  readonly port: number
  /** `redis://127.0.0.1:<port>/0` */
  readonly url: string
  /** Stops it with SIGKILL (as a crash would) and waits for the process to end. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty, unless it was started durable). */
  restart(): Promise<void>
  /** Stops it for good. */
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL")
})

/** A loopback port that nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))))
    })
  })
}

/**
 * Starts a redis-server on `port` (persistence off, loopback only), killed when this process exits.
 * @param port - its port
 * @param extra - more arguments (a cluster node's)
 * @returns the process, once it accepts connections
 */
export function launch(port: number, extra: readonly string[] = []): Promise<ChildProcess> {
  if (binary === null)
    throw new Error("CI=true but redis-server is missing: install it (apt-get install -y redis-server)")
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...extra]
  // DEBUG SLEEP (to hold a call in flight) is allowed from loopback only.
  args.push("--enable-debug-command", "local")
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] })
  running.add(child)
  child.once("exit", () => running.delete(child))
  return new Promise((resolve, reject) => {
    let output = ""
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000)
    const fail = (error: Error): void => {
      clearTimeout(timer)
      child.kill("SIGKILL")
      reject(error)
    }
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer)
        child.stdout?.off("data", onData)
        child.stdout?.resume()
        resolve(child)
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once("exit", (code) => fail(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)))
  })
}

/** Sends `signal` to `child` and waits for it to end. */
export function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once("exit", () => resolve())
    child.kill(signal)
  })
}

/**
 * Starts a redis-server on a free loopback port with persistence off, or with `durable` an append-only
 * file fsynced before each reply (in a temporary folder), which a restart reads back.
 * @param durable - whether the data outlives a restart
 * @returns the server; call `stop()` in `afterAll`
 */
export async function startRedis(durable = false): Promise<RedisServer> {
  const dir = durable ? mkdtempSync(join(tmpdir(), "isocache-redis-")) : null
  const extra = dir ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", dir] : []
  let port = 0
  let child: ChildProcess | null = null
  // Another process may take the free port between the probe and the start: try a few.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort()
    try {
      child = await launch(port, extra)
    } catch (error) {
      if (attempt === 5) throw error
    }
  }
  let current: ChildProcess = child
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    kill: () => stopped(current, "SIGKILL"),
    async restart() {
      await stopped(current, "SIGKILL")
      current = await launch(port, extra)
    },
    async stop() {
      await stopped(current, "SIGTERM")
      if (dir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A plain node-redis client on `url` whose bulk replies are Buffers, to look at the raw data. */
export async function rawClient(url: string) {
  const client = createClient({ url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer })
  client.on("error", () => {})
  await client.connect()
  return client
}

/** The raw client type. */
export type RawClient = Awaited<ReturnType<typeof rawClient>>

/** The Redis keys matching `pattern`, as strings. */
export async function keysMatching(client: RawClient, pattern: string): Promise<string[]> {
  const keys: string[] = []
  let cursor = "0"
  do {
    const [next, found] = (await client.sendCommand(["SCAN", cursor, "MATCH", pattern, "COUNT", "1000"])) as [
      Buffer,
      Buffer[],
    ]
    keys.push(...found.map(String))
    cursor = String(next)
  } while (cursor !== "0")
  return keys
}

/** `text` as a literal in a `SCAN MATCH` pattern. */
export const globEscape = (text: string): string => text.replace(/[*?[\]\\]/g, "\\$&")

/**
 * A `SCAN MATCH` pattern for the entry keys of the cache `name` (and only theirs).
 * @param name - the cache name
 * @param prefix - the store's prefix
 */
export const entryPattern = (name: string, prefix = "isocache:"): string =>
  `${globEscape(redisLayout(prefix, name).base)}\\[*`

/**
 * Reads a value that a `beforeAll` sets.
 * @param what - what the block starts, for the error
 * @returns a function that returns the value, or throws before the block's start
 */
export const startedIn =
  (what: string) =>
  <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${what} of this block is not started yet: use it in a test`)
    return value
  }

/**
 * Starts a redis-server, and a raw client on it, before the tests of the enclosing `describe` block,
 * and stops both after them. Read `server` and `raw` in tests and hooks (they throw before the start).
 */
export function useRedis(durable = false): {
  readonly server: RedisServer
  readonly raw: RawClient
  /** Restarts the server (empty, unless durable) and gives `raw` a new client on it. */
  restart(): Promise<void>
} {
  let server: RedisServer | undefined
  let raw: RawClient | undefined
  beforeAll(async () => {
    server = await startRedis(durable)
    raw = await rawClient(server.url)
  })
  afterAll(async () => {
    raw?.destroy()
    await server?.stop()
  })
  const started = startedIn("redis-server")
  return {
    get server() {
      return started(server)
    },
    get raw() {
      return started(raw)
    },
    async restart() {
      await started(server).restart()
      raw?.destroy()
      raw = await rawClient(started(server).url)
    },
  }
}
