// The engine running this browser test file (Chromium, Firefox or WebKit), for test names and
// report files, and the engine-specific facts a test needs to know.
import { commands } from "vitest/browser"

/** The engine's name, version, and why it cannot lower a quota (`null` when it can). */
export const engine = await commands.engineInfo()

/** The engine's name as people write it. */
export const engineLabel: string = { chromium: "Chromium", firefox: "Firefox", webkit: "WebKit" }[engine.name]
