/// <reference types="node" />
import { createClient, RESP_TYPES } from "redis"
import { CacheError, StoreClosedError, StoreError, StoreUnavailableError } from "../../errors.js"
import type { RedisScript } from "./scripts.js"

/**
 * The part of a node-redis client (`redis` v5 or later) that the Redis store uses: any client made by
 * `createClient()` fits, whatever its modules, RESP version or type mapping. The store sends raw
 * commands only, so a client's `keyPrefix` does not apply to the store's keys (use the store's
 * `prefix` option).
 */
export interface RedisClientLike {
  /** Whether the client is connected or connecting (node-redis's `isOpen`). */
  readonly isOpen: boolean
  /**
   * Connects the client.
   * @returns a promise that settles once connected
   */
  connect(): Promise<unknown>
  /**
   * Sends one raw command.
   * @param args - the command and its arguments
   * @param options - node-redis command options; the store sets `typeMapping`
   * @returns the reply
   */
  sendCommand(args: ReadonlyArray<string | Uint8Array>, options?: RedisCommandOptions): Promise<unknown>
  /**
   * Optional: a new, unconnected client with the same options (node-redis's `duplicate()`), which the
   * store uses as the dedicated subscriber connection of a cache's `subscribe` (a connection in
   * subscriber mode takes no other command). A client without it carries no changes between processes.
   * @returns the new client
   */
  duplicate?(): RedisSubscriberLike
}

/**
 * The part of a node-redis client that the Redis store uses for a subscriber connection (see
 * {@link RedisClientLike.duplicate}).
 */
export interface RedisSubscriberLike {
  /**
   * Connects the client.
   * @returns a promise that settles once connected
   */
  connect(): Promise<unknown>
  /**
   * Subscribes to a channel.
   * @param channel - the channel
   * @param listener - called with each message, as a string
   * @returns a promise that settles once Redis has confirmed the subscription
   */
  subscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<unknown>
  /**
   * Closes the connection once the replies under way have come.
   * @returns a promise that settles once closed
   */
  close(): Promise<unknown>
  /** Closes the connection at once. */
  destroy(): void
  /**
   * Listens to the client's errors (without a listener, node-redis's `"error"` events would crash the
   * process).
   * @param event - `"error"`
   * @param listener - called with each error
   */
  on(event: "error", listener: (error: Error) => void): unknown
}

/**
 * The part of a node-redis cluster client (`createCluster()`, `redis` v5 or later) that the Redis store
 * uses. The store routes each command by the name's hash slot (every key of a cache name is in one
 * slot) and always to the slot's master, so a cache reads its own writes whatever `useReplicas` says.
 */
export interface RedisClusterLike {
  /** Whether the cluster client is connected or connecting (node-redis's `isOpen`). */
  readonly isOpen: boolean
  /**
   * The cluster's masters as node-redis last saw them: only read to tell a cluster client from a
   * single-server one.
   */
  readonly masters: readonly unknown[]
  /**
   * Connects the cluster client (it discovers the slots).
   * @returns a promise that settles once connected
   */
  connect(): Promise<unknown>
  /**
   * Sends one raw command to the node that serves the slot of `firstKey`, following `MOVED` and `ASK`.
   * @param firstKey - a key of the command's slot
   * @param isReadonly - whether a replica may answer (the store passes `false`)
   * @param args - the command and its arguments
   * @param options - node-redis command options; the store sets `typeMapping`
   * @returns the reply
   */
  sendCommand(
    firstKey: string | Uint8Array | undefined,
    isReadonly: boolean | undefined,
    args: ReadonlyArray<string | Uint8Array>,
    options?: RedisCommandOptions,
  ): Promise<unknown>
  /**
   * Optional: a new, unconnected cluster client with the same options (node-redis's `duplicate()`),
   * which the store uses for a cache's `subscribe`, with `minimizeConnections` (it connects only to the
   * master of the name's slot, for `SSUBSCRIBE`). A cluster client without it carries no changes
   * between processes.
   * @param overrides - options that replace the client's own
   * @returns the new cluster client
   */
  duplicate?(overrides?: { minimizeConnections?: boolean }): RedisClusterSubscriberLike
}

/**
 * The part of a node-redis cluster client that the Redis store uses for a subscription (see
 * {@link RedisClusterLike.duplicate}): sharded pub/sub on the name's slot.
 */
export interface RedisClusterSubscriberLike extends Omit<RedisSubscriberLike, "subscribe"> {
  /**
   * Subscribes to a sharded channel, on the master of its slot.
   * @param channel - the channel
   * @param listener - called with each message, as a string
   * @returns a promise that settles once Redis has confirmed the subscription
   */
  sSubscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<unknown>
}

/** The node-redis command options the store passes to {@link RedisClientLike.sendCommand}. */
export interface RedisCommandOptions {
  /** How RESP types map to JavaScript types, by RESP type code. */
  readonly typeMapping?: { readonly [respType: number]: unknown }
}

/** One command's arguments. */
export type RedisArgs = ReadonlyArray<string | Buffer>

/** What the store needs of a client it creates, beyond {@link RedisClientLike}. */
interface OwnedClient extends RedisClientLike {
  close(): Promise<void>
  destroy(): void
  on(event: "error", listener: (error: Error) => void): unknown
}

// Entries are bytes: replies with bulk strings come back as Buffers, whatever the client's own mapping.
const binary: RedisCommandOptions = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } }

// node-redis names its errors by class only; these mean the connection is gone.
const lostErrors = new Set([
  "ClientClosedError",
  "ClientOfflineError",
  "SocketClosedUnexpectedlyError",
  "DisconnectsClientError",
  "ConnectionTimeoutError",
  "SocketTimeoutError",
])
const lostCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"])

/**
 * Maps a node-redis failure to an isocache error, keeping it as `cause`: a lost connection is a
 * {@link StoreClosedError}, anything else (an error reply, a command timeout) a {@link StoreError}.
 *
 * @param error - what node-redis threw
 * @param what - the call that failed, for the message
 * @returns the error to throw
 */
export function storeFailure(error: unknown, what: string): Error {
  if (error instanceof CacheError) return error
  const kind = error instanceof Error ? error.constructor.name : ""
  const code = (error as { code?: unknown } | null)?.code
  // Some node-redis errors (a command timeout) have no message: their class names them.
  const detail = error instanceof Error ? error.message || kind : String(error)
  if (lostErrors.has(kind) || (typeof code === "string" && lostCodes.has(code))) {
    return new StoreClosedError(`Lost the connection to Redis during ${what}: ${detail}`, { cause: error })
  }
  return new StoreError(`Redis failed ${what}: ${detail}`, { cause: error })
}

/**
 * A connected client as the store sends to it: a single server's, or a cluster's, which routes each
 * command by a key of the slot it goes to.
 */
export interface RedisTarget {
  /** Whether this is a cluster client (changes then travel by sharded pub/sub). */
  readonly cluster: boolean
  /**
   * Sends one raw command, queued on its connection before this returns.
   * @param slotKey - a key (or channel) of the command's hash slot, for a cluster to route it by
   * @param args - the command
   * @returns the reply (bulk strings as Buffers)
   */
  command(slotKey: string, args: RedisArgs): Promise<unknown>
}

/**
 * Whether `client` is a node-redis cluster client (it has the list of masters a single-server client
 * lacks).
 * @param client - the app's client
 * @returns whether it is a cluster client
 */
export function isCluster(client: RedisClientLike | RedisClusterLike): client is RedisClusterLike {
  return Array.isArray((client as Partial<RedisClusterLike>).masters)
}

const targetOf = (client: RedisClientLike | RedisClusterLike): RedisTarget =>
  isCluster(client)
    ? { cluster: true, command: (slotKey, args) => client.sendCommand(slotKey, false, args, binary) }
    : { cluster: false, command: (_slotKey, args) => client.sendCommand(args, binary) }

/**
 * Sends one command. The command is queued on the client before this returns its promise, so calls
 * made one after the other reach Redis in that order.
 *
 * @param target - the connected client
 * @param slotKey - a key of the command's hash slot (see {@link RedisTarget.command})
 * @param args - the command
 * @param what - the call, for error messages
 * @returns the reply (bulk strings as Buffers)
 * @throws StoreClosedError or StoreError as {@link storeFailure}
 */
export async function send(target: RedisTarget, slotKey: string, args: RedisArgs, what: string): Promise<unknown> {
  try {
    return await target.command(slotKey, args)
  } catch (error) {
    throw storeFailure(error, what)
  }
}

/**
 * Runs a script by its SHA-1, and by its source when the server has not cached it (a new or restarted
 * server, or on a cluster the master of the slot, each of which caches scripts of its own): the source
 * is sent once per server, not with every call. On a cluster both go to the master of `keys[0]`'s slot.
 *
 * @param target - the connected client
 * @param script - the script
 * @param keys - its KEYS (at least one; all in one hash slot)
 * @param args - its ARGV
 * @param what - the call, for error messages
 * @returns the script's reply
 * @throws StoreClosedError or StoreError as {@link storeFailure}
 */
export async function runScript(
  target: RedisTarget,
  script: RedisScript,
  keys: readonly [string, ...string[]],
  args: RedisArgs,
  what: string,
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args]
  try {
    return await target.command(keys[0], ["EVALSHA", script.sha1, ...tail])
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw storeFailure(error, what)
  }
  return send(target, keys[0], ["EVAL", script.source, ...tail], what)
}

/**
 * Frees a client whatever its state (node-redis 5 throws when it is closed already).
 * @param client - the client
 */
export function discard(client: { destroy(): void }): void {
  try {
    client.destroy()
  } catch {
    // Closed already.
  }
}

/**
 * The store's client: the app's own (a single-server or cluster client), used as it is (connected if
 * it is not yet, never closed), or one the store creates from a URL. A created client never reconnects
 * by itself and never queues commands while offline: a call made while Redis is away fails at once
 * with a typed error, and the next call connects a fresh client, so the first call after Redis returns
 * succeeds.
 */
export class RedisConnection {
  readonly #given: RedisClientLike | RedisClusterLike | null
  readonly #givenTarget: RedisTarget | null
  readonly #url: string | undefined
  #owned: { readonly client: OwnedClient; readonly target: RedisTarget } | null = null
  #connecting: Promise<RedisTarget> | null = null

  /**
   * @param client - the app's client, or `null` to create one
   * @param url - the server for a created client (`redis[s]://[[user][:password]@]host[:port][/db]`)
   */
  constructor(client: RedisClientLike | RedisClusterLike | null, url: string | undefined) {
    this.#given = client
    this.#givenTarget = client && targetOf(client)
    this.#url = url
  }

  /** Whether the client is a cluster client (known before it connects). */
  get cluster(): boolean {
    return this.#givenTarget?.cluster ?? false
  }

  /**
   * The client, connected.
   * @returns the client
   * @throws StoreUnavailableError when it cannot connect
   */
  client(): Promise<RedisTarget> {
    const open = this.current()
    if (open) return Promise.resolve(open)
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = null
    })
    return this.#connecting
  }

  /**
   * The client when it is connected, without connecting it: for what must not reopen a closed
   * connection (a change published after the write that made it).
   * @returns the client, or `null`
   */
  current(): RedisTarget | null {
    if (this.#connecting) return null
    if (this.#given) return this.#given.isOpen ? this.#givenTarget : null
    return this.#owned?.client.isOpen ? this.#owned.target : null
  }

  /**
   * A new, unconnected client for a subscriber connection: the app's client duplicated (a cluster
   * client with `minimizeConnections`, subscribing by `SSUBSCRIBE`), or for a created client one on
   * the same server that, unlike it, reconnects by itself (node-redis then subscribes again), so that a
   * subscription outlives a restart of Redis.
   * @returns the client, or `null` when the app's client cannot be duplicated
   */
  subscriber(): RedisSubscriberLike | null {
    const given = this.#given
    if (given && isCluster(given)) {
      const cluster = given.duplicate?.({ minimizeConnections: true })
      if (!cluster) return null
      return {
        connect: () => cluster.connect(),
        subscribe: (channel, listener) => cluster.sSubscribe(channel, listener),
        close: () => cluster.close(),
        destroy: () => cluster.destroy(),
        on: (event, listener) => cluster.on(event, listener),
      }
    }
    if (given) return given.duplicate?.() ?? null
    return createClient({
      ...(this.#url === undefined ? {} : { url: this.#url }),
      // Retries at most a second apart, so that a subscription ended while Redis is away leaves no
      // timer longer than that behind.
      socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
    })
  }

  /** Closes the client the store created, waiting for the replies under way; a given client stays open. */
  async close(): Promise<void> {
    await this.#connecting?.catch(() => {})
    const owned = this.#owned
    this.#owned = null
    if (!owned) return
    try {
      await owned.client.close()
    } catch {
      // Already closed after a lost connection: nothing is left to close.
    }
  }

  async #connect(): Promise<RedisTarget> {
    if (this.#given && this.#givenTarget) {
      if (!this.#given.isOpen) await this.#given.connect().catch((error: unknown) => this.#unavailable(error))
      return this.#givenTarget
    }
    if (this.#owned?.client.isOpen) return this.#owned.target
    if (this.#owned) discard(this.#owned.client)
    const client: OwnedClient = createClient({
      ...(this.#url === undefined ? {} : { url: this.#url }),
      disableOfflineQueue: true,
      socket: { reconnectStrategy: false },
    })
    // Failures reach the calls that made them; without a listener, node-redis's "error" events would
    // crash the process.
    client.on("error", () => {})
    const owned = { client, target: targetOf(client) }
    this.#owned = owned
    try {
      await client.connect()
    } catch (error) {
      if (this.#owned === owned) this.#owned = null
      discard(client)
      this.#unavailable(error)
    }
    return owned.target
  }

  #unavailable(error: unknown): never {
    const detail = error instanceof Error ? error.message : String(error)
    throw new StoreUnavailableError(`Cannot connect to Redis: ${detail}`, { cause: error })
  }
}
