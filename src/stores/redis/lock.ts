/// <reference types="node" />
import { randomUUID } from "node:crypto"
import { type RedisConnection, type RedisTarget, runScript, send } from "./connection.js"
import { UNLOCK } from "./scripts.js"

/**
 * How long a lock lives, in ms: the longest a holder keeps it (it is not refreshed) and the longest
 * another process waits for it. A holder whose factory runs longer loses it, and one more process may
 * then run the factory too; a holder that dies leaves a lock that Redis expires after this.
 */
export const LOCK_TTL = 10_000

// A waiter tries again every 10–25 ms: at random, so that waiters do not all try at once.
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 15))

/**
 * Runs `fn` holding the lock `lockKey` across every process on the server, so that one at a time
 * computes a missing entry: `SET NX PX` with a random token, given back by a compare-and-delete (a
 * holder that outlived its lock leaves the next holder's alone). The cache reads the entry again
 * under it (a holder may have stored it).
 *
 * A process that finds the lock taken tries again every 10–25 ms. After {@link LOCK_TTL} (by when the
 * holder it found has let go, or its lock has expired) it runs `fn` anyway, without the lock: the wait
 * is bounded even while other processes keep taking the lock in turn. It stops waiting the same way
 * when the store's connection closes meanwhile (a wait never reopens it).
 *
 * @param connection - the store's connection
 * @param lockKey - the lock's Redis key
 * @param fn - what to run
 * @returns what `fn` returns
 * @throws StoreClosedError or StoreError when the first attempt to take the lock fails; what `fn` throws
 */
export async function withLock<T>(connection: RedisConnection, lockKey: string, fn: () => Promise<T>): Promise<T> {
  const token = randomUUID()
  const take = async (target: RedisTarget): Promise<boolean> =>
    (await send(target, lockKey, ["SET", lockKey, token, "NX", "PX", String(LOCK_TTL)], "lock")) !== null
  const holding = async (): Promise<T> => {
    try {
      return await fn()
    } finally {
      // Not waited for, and never on a reopened connection: a lost release is harmless, the lock
      // expires by itself.
      const client = connection.current()
      if (client) runScript(client, UNLOCK, [lockKey], [token], "unlock").catch(() => {})
    }
  }
  if (await take(await connection.client())) return holding()
  const deadline = Date.now() + LOCK_TTL
  while (Date.now() < deadline) {
    await pause()
    const client = connection.current()
    if (!client) break
    if (await take(client).catch(() => false)) return holding()
  }
  return fn()
}
