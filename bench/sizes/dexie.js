export { default } from "dexie"
