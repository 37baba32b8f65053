// A private Redis Cluster per test file: 3 masters (and with `replicas`, one replica each) on free
// loopback ports, no persistence, their files in a temporary folder; all stopped afterwards, and killed
// when the process exits. The skipping rules are server.ts's: without redis-server (or redis-cli) the
// tests are skipped with a loud line on stderr; under CI=true they fail.
import { type ChildProcess, execFile } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { createClient, createCluster, RESP_TYPES } from "redis"
import { afterAll, beforeAll } from "vitest"
import { redisLayout } from "../../src/stores/redis/keys.js"
import {
  entryPattern,
  findBinary,
  freePort,
  keysMatching,
  launch,
  type RawClient,
  skipRedis,
  startedIn,
  stopped,
} from "./server.js"

const ci = process.env.CI === "true" || process.env.CI === "1"
const cli = findBinary("redis-cli", "REDIS_CLI")

/** Whether the cluster tests of this file are skipped (no redis-server or redis-cli, and not under CI). */
export const skipCluster = skipRedis || (cli === null && !ci)

if (cli === null && !skipRedis && !ci) {
  process.stderr.write(
    "!! redis-cli not found: SKIPPING the Redis Cluster tests (install it: apt-get install -y redis-tools)\n",
  )
}

/** One node of the cluster: its port and process. */
interface ClusterNode {
  readonly port: number
  readonly busPort: number
  child: ChildProcess
}

/** A running cluster the test controls. */
export interface RedisTestCluster {
  /** Every node's port, masters first as `redis-cli --cluster create` was given them. */
  readonly ports: readonly number[]
  /** The URLs of the nodes, `redis://127.0.0.1:<port>`. */
  readonly urls: readonly string[]
  /** A new, unconnected node-redis cluster client on it. */
  client(): ReturnType<typeof clusterClient>
  /** A raw client (bulk replies as Buffers) on the node at `port`. */
  node(port: number): Promise<RawClient>
  /** The port of the master that serves the slot of `key` now. */
  masterOf(key: string): Promise<number>
  /** Kills the node at `port` with SIGKILL, as a crash would. */
  kill(port: number): Promise<void>
  /** Stops every node and removes the folder. */
  stop(): Promise<void>
}

const run = promisify(execFile)

/** A node-redis cluster client on `urls`, which never crashes the process with an "error" event. */
export function clusterClient(urls: readonly string[]) {
  const cluster = createCluster({ rootNodes: urls.map((url) => ({ url })) })
  cluster.on("error", () => {})
  return cluster
}

async function rawNode(port: number): Promise<RawClient> {
  const client = createClient({ url: `redis://127.0.0.1:${port}` }).withTypeMapping({
    [RESP_TYPES.BLOB_STRING]: Buffer,
  })
  client.on("error", () => {})
  await client.connect()
  return client
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** `CLUSTER INFO` of the node at `port`, as a record. */
async function clusterInfo(port: number): Promise<Record<string, string>> {
  const client = await rawNode(port)
  try {
    const text = String(await client.sendCommand(["CLUSTER", "INFO"]))
    return Object.fromEntries(text.split(/\r?\n/).flatMap((line) => (line.includes(":") ? [line.split(":")] : [])))
  } finally {
    client.destroy()
  }
}

/**
 * Waits until every node of `ports` says `cluster_state:ok` and knows `known` nodes.
 * @param ports - the nodes to ask
 * @param known - how many nodes each must know
 */
export async function clusterReady(ports: readonly number[], known: number, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    const infos = await Promise.all(ports.map((port) => clusterInfo(port).catch(() => null)))
    if (infos.every((info) => info?.cluster_state === "ok" && Number(info.cluster_known_nodes) === known)) return
    if (Date.now() > deadline) throw new Error(`the cluster is not ready: ${JSON.stringify(infos)}`)
    await sleep(100)
  }
}

/** Waits until every replica among `ports` has its link to its master up. */
async function replicasSynced(ports: readonly number[], timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    const states = await Promise.all(
      ports.map(async (port) => {
        const client = await rawNode(port)
        try {
          const text = String(await client.sendCommand(["INFO", "replication"]))
          return !text.includes("role:slave") || text.includes("master_link_status:up")
        } finally {
          client.destroy()
        }
      }),
    )
    if (states.every(Boolean)) return
    if (Date.now() > deadline) throw new Error("the replicas did not sync with their masters")
    await sleep(100)
  }
}

/**
 * Starts a cluster of 3 masters (with `replicas`, 3 more nodes, one replica of each) and waits until
 * every node says `cluster_state:ok`.
 * @param replicas - whether each master gets a replica
 * @returns the cluster; call `stop()` in `afterAll`
 */
export async function startCluster(replicas = false): Promise<RedisTestCluster> {
  if (cli === null) throw new Error("CI=true but redis-cli is missing: install it (apt-get install -y redis-tools)")
  const dir = mkdtempSync(join(tmpdir(), "isocache-cluster-"))
  const nodes: ClusterNode[] = []
  const start = async (port: number, busPort: number): Promise<ChildProcess> =>
    launch(port, [
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(dir, `nodes-${port}.conf`),
      "--cluster-port",
      String(busPort),
      // A dead master is failed over after 2 s of silence.
      "--cluster-node-timeout",
      "2000",
      "--dir",
      dir,
    ])
  try {
    for (let i = 0; i < (replicas ? 6 : 3); i++) {
      // Another process may take a free port between the probe and the start: try a few.
      for (let attempt = 1; ; attempt++) {
        const port = await freePort()
        const busPort = await freePort()
        try {
          nodes.push({ port, busPort, child: await start(port, busPort) })
          break
        } catch (error) {
          if (attempt === 5) throw error
        }
      }
    }
    const ports = nodes.map((node) => node.port)
    await run(
      cli,
      [
        "--cluster",
        "create",
        ...ports.map((port) => `127.0.0.1:${port}`),
        ...(replicas ? ["--cluster-replicas", "1"] : []),
        "--cluster-yes",
      ],
      { timeout: 60_000 },
    )
    await clusterReady(ports, nodes.length)
    // A replica that has not synced with its master yet could not take over from it.
    if (replicas) await replicasSynced(ports)
  } catch (error) {
    await Promise.all(nodes.map((node) => stopped(node.child, "SIGKILL")))
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const ports = nodes.map((node) => node.port)
  const urls = ports.map((port) => `redis://127.0.0.1:${port}`)
  const byPort = (port: number): ClusterNode => {
    const node = nodes.find((n) => n.port === port)
    if (!node) throw new Error(`no node on port ${port}`)
    return node
  }
  return {
    ports,
    urls,
    client: () => clusterClient(urls),
    node: rawNode,
    async masterOf(key) {
      const alive = nodes.find((node) => node.child.exitCode === null && node.child.signalCode === null)
      if (!alive) throw new Error("every node is down")
      const client = await rawNode(alive.port)
      try {
        const slot = Number(await client.sendCommand(["CLUSTER", "KEYSLOT", key]))
        const shards = (await client.sendCommand(["CLUSTER", "SLOTS"])) as Array<[number, number, [Buffer, number]]>
        const shard = shards.find(([from, to]) => from <= slot && slot <= to)
        if (!shard) throw new Error(`no node serves slot ${slot}`)
        return shard[2][1]
      } finally {
        client.destroy()
      }
    },
    kill: (port) => stopped(byPort(port).child, "SIGKILL"),
    async stop() {
      await Promise.all(nodes.map((node) => stopped(node.child, "SIGTERM")))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The entry keys of the cache `name` (store prefix `"isocache:"`), as strings: a `SCAN` of the master
 * that serves the name's slot.
 */
export async function clusterEntryKeys(cluster: RedisTestCluster, name: string): Promise<string[]> {
  const client = await cluster.node(await cluster.masterOf(redisLayout("isocache:", name).entries))
  try {
    return await keysMatching(client, entryPattern(name))
  } finally {
    client.destroy()
  }
}

/**
 * Starts a cluster, and a connected cluster client on it, before the tests of the enclosing `describe`
 * block, and stops both after them. Read `cluster` and `client` in tests and hooks.
 * @param replicas - whether each master gets a replica
 */
export function useCluster(replicas = false): {
  readonly cluster: RedisTestCluster
  readonly client: ReturnType<typeof clusterClient>
} {
  let cluster: RedisTestCluster | undefined
  let client: ReturnType<typeof clusterClient> | undefined
  beforeAll(async () => {
    cluster = await startCluster(replicas)
    client = cluster.client()
    await client.connect()
  }, 90_000)
  afterAll(async () => {
    client?.destroy()
    await cluster?.stop()
  })
  const started = startedIn("cluster")
  return {
    get cluster() {
      return started(cluster)
    },
    get client() {
      return started(client)
    },
  }
}
