// Where Debian's browsers are, and the flags they run with here (plain JavaScript, so that
// scripts/test.mjs and the benchmark read the same facts as the TypeScript tests). Never a browser
// download: a missing binary makes the engine unavailable, which `npm test` reports (CI=true fails).
import { existsSync, readFileSync } from "node:fs"

/** The binaries each engine needs: $CHROMIUM_PATH and the like, else Debian's. */
export const binaries = {
  chromium: { browser: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  firefox: { browser: process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr" },
  webkit: {
    driver: process.env.WEBKIT_DRIVER_PATH ?? "/usr/bin/WebKitWebDriver",
    browser: process.env.WEBKIT_BROWSER_PATH ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    xvfb: process.env.XVFB_PATH ?? "/usr/bin/Xvfb",
  },
}

/** Chromium's launch flags known to work on this machine (no sandbox as root, no network chatter). */
export const chromiumArgs = JSON.parse(readFileSync(new URL("../browser/chromium-flags.json", import.meta.url), "utf8"))

/** The Debian packages that provide each engine. */
export const packages = { chromium: "chromium", firefox: "firefox-esr", webkit: "webkit2gtk-driver xvfb" }

/** `null` when the engine can run here, else the files it lacks. */
export function missingBinaries(engine) {
  const missing = Object.values(binaries[engine]).filter((path) => !existsSync(path))
  return missing.length === 0 ? null : missing.join(", ")
}
