import { describe } from "vitest"
import { autoStoreCases } from "./cases.js"

// Real Chromium has a working IndexedDB already.
describe('store: "auto" in real Chromium', () => autoStoreCases(() => {}))
