// The bundled declarations hold no relative import, so one copy serves `require` consumers
// as dist/index.d.cts (a .d.ts next to a .cjs would be read as ESM types).
import { copyFileSync } from "node:fs"

copyFileSync("dist/index.d.ts", "dist/index.d.cts")
