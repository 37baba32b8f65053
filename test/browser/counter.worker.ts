// A dedicated worker: another IndexedDB connection on another thread, as a second tab would have.
import { countConcurrently } from "./tab-workloads.js"

self.onmessage = async (event: MessageEvent<{ name: string; n: number }>) => {
  const seen = await countConcurrently(event.data.name, "n", event.data.n)
  self.postMessage(seen)
}
