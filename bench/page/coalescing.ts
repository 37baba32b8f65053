// The "1 transaction per batch" way of using raw idb for callers that issue single operations: the
// operations issued in one tick are queued, and each run of consecutive reads (or writes) becomes one
// transaction. IndexedDB runs transactions on one store in creation order, so a read issued after a
// write still sees it.
import type { IDBPDatabase } from "idb"

interface Op {
  readonly write: boolean
  readonly key: string
  readonly value?: unknown
  resolve(value: unknown): void
  reject(error: unknown): void
}

export interface Coalescing {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown): Promise<unknown>
}

export function coalescing(db: IDBPDatabase, storeName: string): Coalescing {
  let queue: Op[] = []

  const run = (batch: Op[], write: boolean): void => {
    if (write) {
      const tx = db.transaction(storeName, "readwrite")
      // A write is settled when its transaction commits, as idb's own db.put() does.
      for (const op of batch) tx.store.put(op.value, op.key).catch(() => {})
      tx.done.then(
        () => {
          for (const op of batch) op.resolve(undefined)
        },
        (error: unknown) => {
          for (const op of batch) op.reject(error)
        },
      )
    } else {
      const tx = db.transaction(storeName, "readonly")
      for (const op of batch) tx.store.get(op.key).then(op.resolve, op.reject)
      tx.done.catch(() => {})
    }
  }

  const flush = (): void => {
    const ops = queue
    queue = []
    let start = 0
    while (start < ops.length) {
      const write = (ops[start] as Op).write
      let end = start + 1
      while (end < ops.length && (ops[end] as Op).write === write) end++
      run(ops.slice(start, end), write)
      start = end
    }
  }

  const enqueue = (op: Op): void => {
    if (queue.length === 0) queueMicrotask(flush)
    queue.push(op)
  }

  return {
    get: (key) => new Promise((resolve, reject) => enqueue({ write: false, key, resolve, reject })),
    set: (key, value) => new Promise((resolve, reject) => enqueue({ write: true, key, value, resolve, reject })),
  }
}
