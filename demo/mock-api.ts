// A mock JSON API for the demo's offline-caching section, served by the Vite dev (and preview) server.
// It answers slowly, like a real network, and can be switched off from the page to show the cache
// serving what it already holds.
import type { ServerResponse } from "node:http"
import type { Connect, Plugin } from "vite"

const quotes = [
  {
    text: "There are only two hard things in Computer Science: cache invalidation and naming things.",
    author: "Phil Karlton",
  },
  { text: "The fastest request is the one you never make.", author: "Web performance folklore" },
  { text: "Premature optimization is the root of all evil.", author: "Donald Knuth" },
  { text: "Offline is not an error condition, it is a state.", author: "Offline-first manifesto" },
  { text: "Make it work, make it right, make it fast.", author: "Kent Beck" },
]

/** The slowest and fastest answer of the mock API, in milliseconds. */
export const API_DELAY = { min: 300, max: 600 } as const

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader("Content-Type", "application/json; charset=utf-8")
  // The browser's HTTP cache must not answer for the API: every hit shown in the page is isocache's.
  res.setHeader("Cache-Control", "no-store")
  res.end(JSON.stringify(body))
}

/** The request header with which a page that switched the API off asks for its 503. */
export const OFFLINE_HEADER = "x-mock-api-offline"

/**
 * The Vite plugin: `GET /api/quote?id=N` (N = 1…5). The on/off switch belongs to each page: a page
 * that switched the API off sends the `x-mock-api-offline` header and gets a 503, so a fresh page
 * (or a reload) always starts online, and one tab's switch never changes another's.
 */
export function mockApi(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? "/", "http://localhost")
    if (url.pathname !== "/api/quote") return next()
    if (req.headers[OFFLINE_HEADER] === "1") return send(res, 503, { error: "The mock API is switched off" })
    const id = Number(url.searchParams.get("id"))
    const quote = quotes[id - 1]
    if (!Number.isInteger(id) || !quote)
      return send(res, 404, { error: `No quote with id ${url.searchParams.get("id")}` })
    const delay = API_DELAY.min + Math.random() * (API_DELAY.max - API_DELAY.min)
    setTimeout(() => send(res, 200, { id, ...quote, servedAt: new Date().toISOString() }), delay)
  }

  return {
    name: "isocache-demo-mock-api",
    configureServer(server) {
      server.middlewares.use(middleware)
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware)
    },
  }
}
