// Nothing in the library, nor in its one runtime dependency, can evaluate stored data as code: no
// eval, no Function constructor, no string timers, no dynamic import, no HTML sinks.
import { readdirSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { expect, it } from "vitest"
import { writeReport } from "./node-report.js"

const root = resolve(import.meta.dirname, "../..")

function sources(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => ext.test(file))
    .map((file) => join(dir, file))
}

const sinks: Array<[string, RegExp]> = [
  ["eval(", /\beval\s*\(/],
  ["new Function", /\bnew\s+Function\b/],
  ["Function(", /(^|[^.\w])Function\s*\(/],
  ["a string passed to setTimeout/setInterval", /\bset(Timeout|Interval)\s*\(\s*["'`]/],
  ["innerHTML / outerHTML / document.write", /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write)\b/],
  ["with (", /\bwith\s*\(/],
]

/**
 * Dynamic imports whose specifier is not a string literal, nor a constant of the same file bound to
 * one: only those could load code named by data.
 */
function dataDrivenImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "")
  const constants = new Set([...code.matchAll(/\bconst\s+([\w$]+)\s*=\s*(["'])[^"'`]*\2/g)].map((m) => m[1]))
  return [...code.matchAll(/(?<![.\w$])import\s*\(\s*([^)]*?)\s*\)/g)]
    .filter((m) => !/typeof\s+$/.test(code.slice(0, m.index)))
    .map((m) => m[1] as string)
    .filter((specifier) => !/^(["'])[^"'`]*\1$/.test(specifier) && !constants.has(specifier))
}

it("src/ and idb's build contain no eval, Function constructor, string timer, data-driven import or HTML sink", () => {
  const files = [...sources(join(root, "src"), /\.ts$/), ...sources(join(root, "node_modules/idb/build"), /\.js$/)]
  expect(files.length).toBeGreaterThan(8)
  const found: string[] = []
  for (const file of files) {
    const source = readFileSync(file, "utf8")
    source.split("\n").forEach((line, i) => {
      // Comments and doc examples may mention these words; code may not.
      const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "")
      for (const [what, pattern] of sinks) if (pattern.test(code)) found.push(`${file}:${i + 1}: ${what}`)
    })
    for (const specifier of dataDrivenImports(source)) found.push(`${file}: import(${specifier})`)
  }
  expect(found).toEqual([])
  writeReport("no-eval", { filesScanned: files.length, patterns: [...sinks.map(([what]) => what), "import(<data>)"] })
})

it("the patterns do catch what they are meant to catch", () => {
  const samples = [
    "eval(x)",
    "new Function('a', b)",
    "const f = Function(code)",
    "setTimeout('go()', 1)",
    "el.innerHTML = s",
    "with (obj) {}",
  ]
  for (const [i, [, pattern]] of sinks.entries()) expect(pattern.test(samples[i] as string), samples[i]).toBe(true)
  expect(sinks.some(([, p]) => p.test("cache.evaluate(x); retrieval(y); x.Function(y); myimport(z)"))).toBe(false)
  expect(
    dataDrivenImports('const a = "./x.js"; import(a); import("./y.js"); import(/* hint */ a); import(entry.name)'),
  ).toEqual(["entry.name"])
  expect(dataDrivenImports('let b = "./x.js"; await import(b); type T = typeof import("./t.js")')).toEqual(["b"])
})
