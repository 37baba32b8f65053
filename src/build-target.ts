// Whether this code runs as the self-contained browser file (`vite build --mode browser` defines
// `__ISOCACHE_BROWSER_FILE__`): that file leaves out what only Node can use (the Redis store's
// URLs, Node's proxy check), to stay small. Everywhere else (the npm build, the tests) it is false.
declare const __ISOCACHE_BROWSER_FILE__: boolean | undefined

/** `true` in the self-contained browser file only. */
export const BROWSER_FILE: boolean =
  typeof __ISOCACHE_BROWSER_FILE__ !== "undefined" && __ISOCACHE_BROWSER_FILE__ === true
