// Where Debian's Chromium is, and the flags it runs with here: shared by the Vitest browser project,
// the demo's end-to-end test and the benchmark. Never a browser download.
import { existsSync } from "node:fs"
// Kept in JSON so that the benchmark (plain Node, no TypeScript) reads the same list.
import flags from "./chromium-flags.json" with { type: "json" }

/** The Chromium binary: $CHROMIUM_PATH, else Debian's. */
export const chromiumPath: string = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/** Whether that binary exists. */
export const hasChromium: boolean = existsSync(chromiumPath)

/** Launch flags known to work on this machine (no sandbox as root, no network chatter). */
export const chromiumArgs: string[] = flags
