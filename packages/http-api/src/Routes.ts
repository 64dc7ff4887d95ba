/**
 * The whole HTTP surface as one router layer, for a server to mount: the API routes with their handlers and
 * middlewares (auth over the `Organizations` port, 422 mapping), the edge guards (413, non-JSON bodies, unknown
 * routes), `/openapi.json`, and optionally the offline API reference page (`/docs`, Scalar with its bundle
 * embedded). What it still needs is the domain (`Handlers.Services`) and what any `HttpServer` provides
 * (`HttpServer.layerServices`, included in `NodeHttpServer.layer`).
 */
import type { FileSystem, Path } from "effect"
import { Layer } from "effect"
import type { Etag, HttpPlatform } from "effect/http"
import { HttpMiddleware, HttpRouter } from "effect/http"
import { HttpApiBuilder, HttpApiScalar } from "effect/http-api"
import { Api } from "./Api.ts"
import * as Edge from "./Edge.ts"
import * as Handlers from "./Handlers.ts"
import { layerRequestValidation } from "./Validation.ts"

export interface Options extends Handlers.Options {
  /** Where the OpenAPI document is served. Default `/openapi.json`; `null` to not serve it. */
  readonly openapiPath?: `/${string}` | null | undefined
  /**
   * Where the API reference page is served (Scalar, works offline: its script is embedded in the page). Off by
   * default: loading and serving the bundle costs about 20 MiB of resident memory (packages/acceptance/bench/docs-memory.ts). E.g. `"/docs"`.
   */
  readonly docsPath?: `/${string}` | null | undefined
  /** Request-body limit in bytes (413 above it). Default `Edge.defaultMaxBodyBytes` (1 MiB). */
  readonly maxBodyBytes?: number | undefined
  /**
   * Proxies whose `X-Forwarded-For` is believed (networks or a predicate over the peer address). Unset: the buyer's
   * IP recorded when a link is opened is the connection's peer, and forwarded headers are ignored.
   */
  readonly trustedProxies?: HttpMiddleware.TrustedProxyOptions["trustedProxies"] | undefined
}

/** What the routes need: the domain services, the router, and the platform services every `HttpServer` provides. */
export type Requirements =
  | Handlers.Services
  | HttpRouter.HttpRouter
  | Etag.Generator
  | FileSystem.FileSystem
  | HttpPlatform.HttpPlatform
  | Path.Path

/** The API's routes and their middleware implementations, without the edge guards. */
export const layerApi = (options: Options = {}): Layer.Layer<never, never, Requirements> =>
  HttpApiBuilder.layer(Api, options.openapiPath === null ? undefined : { openapiPath: options.openapiPath ?? "/openapi.json" })
    .pipe(
      Layer.provide(Handlers.layer(options)),
      Layer.provide([Handlers.layerAuth, layerRequestValidation])
    )

/** Scalar's page, configured not to fetch web fonts (the page must work without network). */
export const layerDocs = (path: `/${string}`) =>
  HttpApiScalar.layer(Api, { path, scalar: { withDefaultFonts: false, hideDarkModeToggle: false } })

/**
 * Everything to merge into the server's router. Example:
 * `HttpRouter.serve(Routes.layer({ docsPath: "/docs" })).pipe(Layer.provide(domainServices), Layer.provide(NodeHttpServer.layer(...)))`.
 */
export const layer = (options: Options = {}): Layer.Layer<never, never, Requirements> =>
  Layer.mergeAll(
    layerApi(options),
    Edge.layerEdge({ maxBodyBytes: options.maxBodyBytes }),
    options.docsPath == null ? Layer.empty : layerDocs(options.docsPath),
    options.trustedProxies === undefined
      ? Layer.empty
      : HttpRouter.middleware(HttpMiddleware.xForwardedHeaders({ trustedProxies: options.trustedProxies }), {
        global: true
      })
  )
