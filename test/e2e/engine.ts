// The engine an end-to-end test file drives: its project's (see vite.config.ts, `e2e-<engine>`).
import { inject } from "vitest"
import type { EngineName } from "../engines/index.ts"

declare module "vitest" {
  export interface ProvidedContext {
    /** The engine of an `e2e-<engine>` project. */
    engine: EngineName
  }
}

/** The engine this file's project drives. */
export const engineName: EngineName = inject("engine")
