// What the engine running a browser test can do, probed in the page itself, so that a test that cannot
// run in an engine skips with the reason instead of failing or passing for nothing.

/**
 * Why this engine's IndexedDB refuses `Blob` values here, or `null` when it stores them. WebKit's
 * WebDriver sessions are ephemeral, and its IndexedDB refuses Blob and File values there
 * ("Error preparing Blob/File data to be stored in object store").
 */
export async function blobRefusal(): Promise<string | null> {
  const name = `blob-probe-${crypto.randomUUID()}`
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1)
    request.onupgradeneeded = () => request.result.createObjectStore("probe")
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  try {
    return await new Promise<string | null>((resolve) => {
      const tx = db.transaction("probe", "readwrite")
      tx.objectStore("probe").put(new Blob(["probe"]), 1)
      tx.oncomplete = () => resolve(null)
      tx.onabort = () =>
        resolve(
          `this engine's IndexedDB refuses Blob values in this (ephemeral, automated) session: ${tx.error?.name}: ${tx.error?.message}`,
        )
    })
  } finally {
    db.close()
    indexedDB.deleteDatabase(name)
  }
}
