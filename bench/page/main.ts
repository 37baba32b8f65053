// The benchmark page: exposes the workloads to the Node orchestrator (bench/harness/chromium.mjs),
// which drives a run one workload at a time through page.evaluate.
import { describeWorkloads, notesOf, type Sample, Session, type Sizes, type WorkloadId } from "../shared/workloads.ts"
import { browserPeers } from "./peers.ts"
import { runSweep, type SweepSample } from "./sweep.ts"

export interface BenchPage {
  readonly peers: string[]
  describe(sizes: Sizes): Array<{ id: WorkloadId; label: string; unit: string }>
  notes(): Record<string, Partial<Record<WorkloadId, string>>>
  /** Opens a fresh store for every peer, named after `id`. */
  start(sizes: Sizes, id: string): Promise<void>
  /** One workload on every peer, in `order`. */
  workload(id: WorkloadId, order: string[]): Promise<Record<string, Sample>>
  finish(): Promise<void>
  runSweep(count: number, id: string): Promise<SweepSample>
}

const peers = () => Object.values(browserPeers).map((make) => make())
let session: Session | null = null

const page: BenchPage = {
  peers: Object.keys(browserPeers),
  describe: describeWorkloads,
  notes: () => notesOf(peers()),
  async start(sizes, id) {
    session = await Session.open(peers(), sizes, id)
  },
  workload(id, order) {
    if (!session) throw new Error("no run started")
    return session.workload(id, order)
  },
  async finish() {
    await session?.close()
    session = null
  },
  runSweep,
}

;(globalThis as { bench?: BenchPage }).bench = page
document.title = "isocache benchmark: ready"
