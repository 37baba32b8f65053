// The bundled declarations hold no relative import, so one copy serves `require` consumers
// as a .d.cts beside each .d.ts (a .d.ts next to a .cjs would be read as ESM types).
import { copyFileSync } from "node:fs"

for (const entry of ["dist/index", "dist/stores/redis"]) copyFileSync(`${entry}.d.ts`, `${entry}.d.cts`)
