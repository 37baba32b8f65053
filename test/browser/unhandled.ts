/** Collects the page's unhandled rejections while `body` runs, and a little after. */
export async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = []
  const listener = (event: PromiseRejectionEvent): void => {
    seen.push(event.reason)
  }
  window.addEventListener("unhandledrejection", listener)
  try {
    await body()
    await new Promise((resolve) => setTimeout(resolve, 50))
  } finally {
    window.removeEventListener("unhandledrejection", listener)
  }
  return seen
}
