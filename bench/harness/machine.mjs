// What the results were measured on: the machine, the runtimes and the exact package versions.
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { availableParallelism, totalmem } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..")
const packages = ["idb", "idb-keyval", "localforage", "dexie", "keyv", "lru-cache", "redis", "vite", "playwright"]

const read = (path) => {
  try {
    return readFileSync(path, "utf8")
  } catch {
    return ""
  }
}

const git = (...args) => {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
  } catch {
    return ""
  }
}

export function machine() {
  const cpu = /^model name\s*:\s*(.+)$/m.exec(read("/proc/cpuinfo"))?.[1] ?? "unknown CPU"
  const os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(read("/etc/os-release"))?.[1] ?? process.platform
  const versions = Object.fromEntries(
    packages.map((name) => [name, JSON.parse(read(join(root, "node_modules", name, "package.json")) || "{}").version]),
  )
  const commit = git("rev-parse", "--short", "HEAD")
  // The benchmark measures the working tree: say when src/ differs from the commit.
  const dirty = git("status", "--porcelain", "--", "src") !== ""
  return {
    cores: availableParallelism(),
    cpu,
    memoryGiB: totalmem() / 2 ** 30,
    os,
    node: process.version,
    isocache: `${JSON.parse(read(join(root, "package.json"))).version} @ ${commit || "?"}${dirty ? " + uncommitted src/ changes" : ""}`,
    versions,
  }
}
