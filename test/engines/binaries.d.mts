import type { EngineName } from "./types.ts"

/** The binaries each engine needs: $CHROMIUM_PATH and the like, else Debian's. */
export declare const binaries: {
  readonly chromium: { readonly browser: string }
  readonly firefox: { readonly browser: string }
  readonly webkit: { readonly driver: string; readonly browser: string; readonly xvfb: string }
}
/** Chromium's launch flags known to work on this machine. */
export declare const chromiumArgs: string[]
/** The Debian packages that provide each engine. */
export declare const packages: Record<EngineName, string>
/** `null` when the engine can run here, else the files it lacks. */
export declare function missingBinaries(engine: EngineName): string | null
