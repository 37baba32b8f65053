export { get, set } from "idb-keyval"
