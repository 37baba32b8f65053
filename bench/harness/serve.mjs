// A tiny static file server for the built benchmark page, on a free port of localhost.
import { readFile } from "node:fs/promises"
import { createServer } from "node:http"
import { extname, join, normalize } from "node:path"

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json" }

/** @param {string} root @returns {Promise<{ url: string, close: () => Promise<void> }>} */
export async function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname))
    const file = join(root, path.endsWith("/") ? `${path}index.html` : path)
    try {
      const body = await readFile(file)
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" })
      res.end(body)
    } catch {
      res.writeHead(404).end("not found")
    }
  })
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)))
  const address = server.address()
  const port = typeof address === "object" && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  }
}
