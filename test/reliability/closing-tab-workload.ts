// The workload of the closed-tab test: started in a tab that the test closes while its writes are in
// flight. Progress is published on globalThis for the closeTabDuring command.
import { Cache } from "../../src/index.js"

interface Progress {
  __progress: number
  __report: () => { issued: number; committed: number[]; deleted: number[]; failed: string[] }
}

// A new task, sooner than setTimeout (which is clamped to 4 ms when nested).
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => resolve()
    channel.port2.postMessage(null)
  })

export const newKeys = (batch: number, size: number): string[] =>
  Array.from({ length: size }, (_, k) => `new-${batch}-${k}`)
export const oldKeys = (batch: number, size: number): string[] =>
  Array.from({ length: size }, (_, k) => `old-${batch}-${k}`)

/**
 * Issues `batches` setMany calls of `size` entries each (every value tagged with its batch), one per
 * task so that each is a transaction of its own, and with the first `oldBatches` of them a
 * deleteMany of an old batch. Returns once the writes are started; they go on in the background.
 */
export async function startBatches(name: string, batches: number, size: number, oldBatches: number): Promise<void> {
  const cache = new Cache({ name, store: "indexeddb", sweepInterval: null })
  await cache.connect()
  const g = globalThis as unknown as Progress
  const committed: number[] = []
  const deleted: number[] = []
  const failed: string[] = []
  let issued = 0
  g.__progress = 0
  g.__report = () => ({ issued, committed: [...committed], deleted: [...deleted], failed: [...failed] })
  void (async () => {
    for (let b = 0; b < batches; b++) {
      cache.setMany(newKeys(b, size).map((key, k) => [key, { batch: b, k }] as const)).then(
        () => {
          committed.push(b)
          g.__progress++
        },
        (error: unknown) => failed.push(String(error)),
      )
      if (b < oldBatches) {
        cache.deleteMany(oldKeys(b, size)).then(
          () => deleted.push(b),
          (error: unknown) => failed.push(String(error)),
        )
      }
      issued++
      await nextTask()
    }
  })()
}
