export { createStore, get, getMany, set, setMany, update } from "idb-keyval"
