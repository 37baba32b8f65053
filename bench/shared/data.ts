// The data every workload uses, identical in every environment and for every peer.

/** A ~200-byte JSON-like object, as a cache of API responses would hold. */
export interface Item {
  id: number
  name: string
  email: string
  active: boolean
  score: number
  tags: string[]
  createdAt: string
  bio: string
}

export function makeItem(i: number): Item {
  return {
    id: i,
    name: `user-${String(i).padStart(6, "0")}`,
    email: `user${i}@example.com`,
    active: i % 3 !== 0,
    score: ((i * 7919) % 1000) / 10,
    tags: ["alpha", "beta", "gamma"].slice(0, (i % 3) + 1),
    createdAt: new Date(1_700_000_000_000 + i * 60_000).toISOString(),
    bio: "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
  }
}

export const keyOf = (i: number): string => `item:${i}`

/** A tiny deterministic PRNG (LCG), so that every peer gets the same key sequence. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}
