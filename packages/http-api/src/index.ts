/**
 * @checkout-kit/http-api — the Polar-compatible HTTP contract: wire schemas (`Wire`), the `HttpApi` definition
 * (`Api`), error bodies (`Errors`), Bearer auth (`Auth`), the 422 mapping (`Validation`) and the router-edge
 * guards (`Edge`), and a typed `Client`. One namespace per module.
 */
export * as Api from "./Api.ts"
export * as Auth from "./Auth.ts"
export * as Client from "./Client.ts"
export * as Edge from "./Edge.ts"
export * as Errors from "./Errors.ts"
export * as Validation from "./Validation.ts"
export * as Wire from "./wire/index.ts"
