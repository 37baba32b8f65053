export { default } from "localforage"
