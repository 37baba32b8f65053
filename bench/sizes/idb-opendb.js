export { openDB } from "idb"
