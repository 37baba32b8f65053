export { createIndexedDBStore } from "../../src/stores/indexeddb.ts"
