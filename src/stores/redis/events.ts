/// <reference types="node" />
/**
 * Changes between caches over Redis pub/sub (sharded pub/sub on a cluster, in the name's slot): one
 * channel per cache name, a message per committed call,
 * sent fire-and-forget on the command connection, and a dedicated subscriber connection per namespace
 * only while it has subscribers. Every change between caches travels this way, between two caches of
 * one process too.
 * @packageDocumentation
 */
import { randomUUID } from "node:crypto"
import type { StoreChange } from "../../types.js"
import { discard, type RedisConnection, type RedisSubscriberLike } from "./connection.js"

/** What travels on a channel: the change, and the namespace that published it. */
interface Message {
  /** The publishing namespace's id: it drops its own messages (its cache told its listeners itself). */
  readonly from: string
  readonly change: StoreChange
}

const types = new Set<unknown>(["set", "delete", "clear"])

/**
 * Reads a message from a channel, or `null` for anything that is not one of ours: the channel is an
 * ordinary Redis channel, and any client may publish on it.
 * @param text - the message
 * @returns the sender's id and the change (its keys frozen), or `null`
 */
export function parseMessage(text: string): { from: string; change: StoreChange } | null {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return null
  }
  const { from, change } = (data ?? {}) as Partial<Record<keyof Message, unknown>>
  if (typeof from !== "string" || typeof change !== "object" || change === null) return null
  const { type, keys, version } = change as Partial<Record<keyof StoreChange, unknown>>
  if (!types.has(type) || !Array.isArray(keys) || (version !== null && typeof version !== "string")) return null
  const list: readonly unknown[] = keys
  if (!list.every((key): key is string => typeof key === "string")) return null
  return { from, change: { type: type as StoreChange["type"], keys: Object.freeze([...list]), version } }
}

// What holds back the writes of a name in this process, by channel: the subscriptions being set up,
// and the namespaces being opened (whose cache may subscribe as soon as it is open). A write waits for
// them (each at most SETUP_WAIT ms), so that a cache that subscribed before another cache of this
// process wrote receives that change, and before the changes that follow it: Redis delivers a message
// only to the subscriptions it has confirmed. On `globalThis`, so that the ESM and CJS builds share it.
const SETUP_WAIT = 1_000
const registryKey = Symbol.for("isocache.redis.subscribing")
const holds = (): Map<string, Set<Promise<void>>> => {
  const g = globalThis as { [registryKey]?: Map<string, Set<Promise<void>>> }
  g[registryKey] ??= new Map()
  return g[registryKey]
}

/**
 * Holds back the writes of the name of `channel` made in this process until `pending` settles, for
 * `SETUP_WAIT` ms at most.
 * @param channel - the name's channel
 * @param pending - a subscription being set up, or a namespace being opened
 */
export function holdWrites(channel: string, pending: Promise<unknown>): void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SETUP_WAIT)
    timer.unref?.()
  })
  const done = Promise.race([pending.then(settle, settle), bound])
  const registry = holds()
  const held = registry.get(channel) ?? new Set()
  registry.set(channel, held.add(done))
  void done.then(() => {
    clearTimeout(timer)
    held.delete(done)
    if (!held.size && registry.get(channel) === held) registry.delete(channel)
  })
}

/**
 * What a write of the name of `channel` must wait for before it is sent (see {@link holdWrites}).
 * @param channel - the name's channel
 * @returns a promise that resolves once nothing holds the writes back, or `null` when nothing does
 *   (nearly always)
 */
export function writesHeld(channel: string): Promise<void> | null {
  const held = holds().get(channel)
  if (!held?.size) return null
  // What the first holds set up (a subscription, once its namespace is open) holds the writes too.
  return Promise.all(held).then(() => writesHeld(channel) ?? undefined)
}

const settle = (): void => {}

/** A subscriber connection and how to end it. */
interface Subscriber {
  readonly client: RedisSubscriberLike
  ready: boolean
}

/**
 * The changes of one namespace (one cache's use of a name): what it publishes and what it hears from
 * the other namespaces of the name on the server, in this process or any other.
 */
export class RedisChanges {
  // Tells this namespace's messages apart from every other's on the channel.
  readonly #id = randomUUID()
  readonly #channel: string
  readonly #connection: RedisConnection
  readonly #listeners = new Set<(change: StoreChange) => void>()
  #subscriber: Subscriber | null = null
  // Subscriber connections being closed.
  readonly #closing = new Set<Promise<unknown>>()

  /**
   * @param connection - the store's connection
   * @param channel - the name's channel
   */
  constructor(connection: RedisConnection, channel: string) {
    this.#connection = connection
    this.#channel = channel
  }

  /** The name's channel. */
  get channel(): string {
    return this.#channel
  }

  /** The command that publishes on the channel: `SPUBLISH` on a cluster, else `PUBLISH`. */
  get command(): "PUBLISH" | "SPUBLISH" {
    return this.#connection.cluster ? "SPUBLISH" : "PUBLISH"
  }

  /**
   * The message that tells the other namespaces of the name of a change, for a write script to
   * publish with the write itself (with {@link RedisChanges.command}).
   * @param change - the change
   * @returns the message
   */
  message(change: StoreChange): string {
    return JSON.stringify({ from: this.#id, change } satisfies Message)
  }

  /**
   * Publishes a committed change: `PUBLISH` (`SPUBLISH` on a cluster) on the command connection, not waited for, never failing
   * (a lost event must not fail a committed write) and never reopening a closed connection.
   * @param change - the change
   */
  publish(change: StoreChange): void {
    const client = this.#connection.current()
    if (!client) return
    try {
      client.command(this.#channel, [this.command, this.#channel, this.message(change)]).catch(settle)
    } catch {
      // A client that throws at once: the event is lost, the write stands.
    }
  }

  /**
   * Listens to the changes the other namespaces of the name publish. The first listener opens the
   * subscriber connection; the last one to leave closes it.
   * @param listener - called with each change
   * @returns how to stop listening (calling it again does nothing)
   */
  subscribe(listener: (change: StoreChange) => void): () => void {
    const own = (change: StoreChange): void => listener(change)
    this.#listeners.add(own)
    if (!this.#subscriber) this.#open()
    return () => {
      if (this.#listeners.delete(own) && !this.#listeners.size) this.#end()
    }
  }

  /**
   * Ends the subscriptions, and waits for the subscriber connection to close.
   * @returns a promise that settles then
   */
  async close(): Promise<void> {
    this.#listeners.clear()
    this.#end()
    await Promise.all(this.#closing)
  }

  #open(): void {
    const client = this.#connection.subscriber()
    if (!client) return
    // A subscriber's failures (a lost connection, which node-redis retries) only lose events.
    client.on("error", settle)
    const subscriber: Subscriber = { client, ready: false }
    this.#subscriber = subscriber
    const started = (async () => {
      await client.connect()
      // Only the current subscriber's messages count: one being closed may still hear one.
      await client.subscribe(this.#channel, (text) => {
        if (this.#subscriber === subscriber) this.#receive(text)
      })
      subscriber.ready = true
    })()
    started.catch(settle)
    holdWrites(this.#channel, started)
  }

  #end(): void {
    const subscriber = this.#subscriber
    if (!subscriber) return
    this.#subscriber = null
    // Closed at once while it is still connecting (Redis may be away); else once its replies are in.
    const closed = (async () => {
      try {
        if (subscriber.ready) await subscriber.client.close()
      } finally {
        discard(subscriber.client)
      }
    })().catch(settle)
    this.#closing.add(closed)
    void closed.finally(() => this.#closing.delete(closed))
  }

  #receive(text: string): void {
    const message = parseMessage(text)
    if (!message || message.from === this.#id) return
    for (const listener of [...this.#listeners]) {
      try {
        listener(message.change)
      } catch {} // one listener's bug harms neither the others nor the connection
    }
  }
}
