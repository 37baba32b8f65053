export { Cache } from "../../src/index.ts"
