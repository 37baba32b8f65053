/** Gives a held turn back; calling it twice is harmless. */
export type Release = () => void

/**
 * Turns on keys, in issue order, within one store object. Calls issued together must take effect in
 * issue order (a `get` issued after a `set` sees it), and one connection runs commands in the order
 * they were sent; but an `update` spans several commands (a read, then a compare-and-set), so a call
 * on the same key must not send its command until the update is done. Each call waits for the turns of
 * the earlier calls on any of its keys (so no call overtakes another on a shared key, and calls on
 * other keys run freely); `clear` waits for every earlier call and holds back every later one.
 *
 * Waiting only on earlier turns, registered synchronously, can never deadlock.
 */
export class KeyTurns {
  readonly #tails = new Map<string, Promise<void>>()
  #barrier: Promise<void> | null = null

  /**
   * Waits for every earlier turn on any of `ids`, then holds them until released.
   * @param ids - the keys (duplicates are fine)
   * @returns a promise of the release function
   */
  take(ids: readonly string[]): Promise<Release> {
    const earlier = new Set<Promise<void>>()
    if (this.#barrier) earlier.add(this.#barrier)
    for (const id of ids) {
      const tail = this.#tails.get(id)
      if (tail) earlier.add(tail)
    }
    const { mine, release } = this.#turn(() => {
      for (const id of ids) if (this.#tails.get(id) === mine) this.#tails.delete(id)
    })
    for (const id of ids) this.#tails.set(id, mine)
    return this.#after(earlier, release)
  }

  /**
   * Waits for every earlier turn, then holds back every later one until released.
   * @returns a promise of the release function
   */
  takeAll(): Promise<Release> {
    const earlier = new Set(this.#tails.values())
    if (this.#barrier) earlier.add(this.#barrier)
    const { mine, release } = this.#turn(() => {
      if (this.#barrier === mine) this.#barrier = null
    })
    this.#barrier = mine
    return this.#after(earlier, release)
  }

  #turn(forget: () => void): { mine: Promise<void>; release: Release } {
    let resolve: () => void = () => {}
    const mine = new Promise<void>((r) => {
      resolve = r
    })
    let released = false
    const release = (): void => {
      if (released) return
      released = true
      forget()
      resolve()
    }
    return { mine, release }
  }

  async #after(earlier: Set<Promise<void>>, release: Release): Promise<Release> {
    if (earlier.size) await Promise.all(earlier)
    return release
  }
}
