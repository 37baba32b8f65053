import { describe } from "vitest"
import { engineLabel } from "../browser/engine.js"
import { autoStoreCases } from "./cases.js"

// Real Chromium has a working IndexedDB already.
describe(`store: "auto" in real ${engineLabel}`, () => autoStoreCases(() => {}))
