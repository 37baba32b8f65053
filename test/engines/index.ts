// Launches an engine by name (see types.ts).
import { launchChromium } from "./chromium.ts"
import { launchFirefox } from "./firefox.ts"
import type { Engine, EngineName, LaunchOptions } from "./types.ts"
import { launchWebKit } from "./webkit.ts"

export { missingBinaries, packages } from "./binaries.mjs"
export { type Engine, type EngineName, engineNames, type LaunchOptions, type Tab } from "./types.ts"

/** Starts `name`'s browser (and, for WebKit, its driver and virtual display). */
export function launchEngine(name: EngineName, options: LaunchOptions = {}): Promise<Engine> {
  if (name === "chromium") return launchChromium()
  if (name === "firefox") return launchFirefox(options)
  return launchWebKit(options)
}
