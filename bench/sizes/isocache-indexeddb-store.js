export { createIndexedDBStore } from "../../src/stores/indexeddb/index.ts"
