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
  const detail = error instanceof Error ? error.message : String(error)
  if (lostErrors.has(kind) || (typeof code === "string" && lostCodes.has(code))) {
    return new StoreClosedError(`Lost the connection to Redis during ${what}: ${detail}`, { cause: error })
  }
  return new StoreError(`Redis failed ${what}: ${detail}`, { cause: error })
}

/**
 * Sends one command. The command is queued on the client before this returns its promise, so calls
 * made one after the other reach Redis in that order.
 *
 * @param client - the connected client
 * @param args - the command
 * @param what - the call, for error messages
 * @returns the reply (bulk strings as Buffers)
 * @throws StoreClosedError or StoreError as {@link storeFailure}
 */
export async function send(client: RedisClientLike, args: RedisArgs, what: string): Promise<unknown> {
  try {
    return await client.sendCommand(args, binary)
  } catch (error) {
    throw storeFailure(error, what)
  }
}

/**
 * Runs a script by its SHA-1, and by its source when the server has not cached it (a new or restarted
 * server): the source is sent once per server, not with every call.
 *
 * @param client - the connected client
 * @param script - the script
 * @param keys - its KEYS
 * @param args - its ARGV
 * @param what - the call, for error messages
 * @returns the script's reply
 * @throws StoreClosedError or StoreError as {@link storeFailure}
 */
export async function runScript(
  client: RedisClientLike,
  script: RedisScript,
  keys: readonly string[],
  args: RedisArgs,
  what: string,
): Promise<unknown> {
  const tail = [String(keys.length), ...keys, ...args]
  try {
    return await client.sendCommand(["EVALSHA", script.sha1, ...tail], binary)
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw storeFailure(error, what)
  }
  return send(client, ["EVAL", script.source, ...tail], what)
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
 * The store's client: the app's own, used as it is (connected if it is not yet, never closed), or
 * one the store creates from a URL. A created client never reconnects by itself and never queues
 * commands while offline: a call made while Redis is away fails at once with a typed error, and the
 * next call connects a fresh client, so the first call after Redis returns succeeds.
 */
export class RedisConnection {
  readonly #given: RedisClientLike | null
  readonly #url: string | undefined
  #owned: OwnedClient | null = null
  #connecting: Promise<RedisClientLike> | null = null

  /**
   * @param client - the app's client, or `null` to create one
   * @param url - the server for a created client (`redis[s]://[[user][:password]@]host[:port][/db]`)
   */
  constructor(client: RedisClientLike | null, url: string | undefined) {
    this.#given = client
    this.#url = url
  }

  /**
   * The client, connected.
   * @returns the client
   * @throws StoreUnavailableError when it cannot connect
   */
  client(): Promise<RedisClientLike> {
    const client = this.#given ?? this.#owned
    if (client?.isOpen && !this.#connecting) return Promise.resolve(client)
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
  current(): RedisClientLike | null {
    const client = this.#given ?? this.#owned
    return client?.isOpen && !this.#connecting ? client : null
  }

  /**
   * A new, unconnected client for a subscriber connection: the app's client duplicated, or for a
   * created client one on the same server that, unlike it, reconnects by itself (node-redis then
   * subscribes again), so that a subscription outlives a restart of Redis.
   * @returns the client, or `null` when the app's client cannot be duplicated
   */
  subscriber(): RedisSubscriberLike | null {
    if (this.#given) return this.#given.duplicate?.() ?? null
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
      await owned.close()
    } catch {
      // Already closed after a lost connection: nothing is left to close.
    }
  }

  async #connect(): Promise<RedisClientLike> {
    if (this.#given) {
      if (!this.#given.isOpen) await this.#given.connect().catch((error: unknown) => this.#unavailable(error))
      return this.#given
    }
    if (this.#owned?.isOpen) return this.#owned
    if (this.#owned) discard(this.#owned)
    const client: OwnedClient = createClient({
      ...(this.#url === undefined ? {} : { url: this.#url }),
      disableOfflineQueue: true,
      socket: { reconnectStrategy: false },
    })
    // Failures reach the calls that made them; without a listener, node-redis's "error" events would
    // crash the process.
    client.on("error", () => {})
    this.#owned = client
    try {
      await client.connect()
    } catch (error) {
      if (this.#owned === client) this.#owned = null
      discard(client)
      this.#unavailable(error)
    }
    return client
  }

  #unavailable(error: unknown): never {
    const detail = error instanceof Error ? error.message : String(error)
    throw new StoreUnavailableError(`Cannot connect to Redis: ${detail}`, { cause: error })
  }
}
