/**
 * The order of a memory front's calls to its store, and their grouping. A write issued while others
 * are under way waits, and every call issued after it with it, until those end; then the waiting calls
 * go together, in issue order, in one task, where the IndexedDB store gives them one transaction: one
 * commit for all, where each would have waited for the commit of the one before. Writes issued in the
 * task of one that starts join it at once (the store batches them the same way).
 * @packageDocumentation
 */

/** Runs a front's calls to its store (see the module's description). */
export interface CallQueue {
  /** Runs `call` now, or once the writes under way end; `write` says whether it writes. */
  run<R>(write: boolean, call: () => Promise<R>): Promise<R>
}

export function callQueue(): CallQueue {
  let writes = 0
  // A write started in this task: the writes issued before the task ends join it.
  let joining = false
  let waiting: Array<() => void> = []

  const start = <R>(write: boolean, call: () => Promise<R>): Promise<R> => {
    if (write) {
      writes++
      if (!joining) {
        joining = true
        queueMicrotask(() => {
          joining = false
        })
      }
    }
    const result = call()
    if (write) result.then(ended, ended)
    return result
  }
  const ended = (): void => {
    if (--writes) return
    const calls = waiting
    waiting = []
    for (const call of calls) call()
  }
  return {
    run(write, call) {
      if (!waiting.length && (!write || !writes || joining)) return start(write, call)
      return new Promise((resolve, reject) => {
        waiting.push(() => {
          start(write, call).then(resolve, reject)
        })
      })
    },
  }
}
