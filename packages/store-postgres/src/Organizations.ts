/**
 * Organizations and access tokens on PostgreSQL. Only the SHA-256 digest of a token is stored and looked up: the
 * index probe's timing depends on the digest of what was presented, never on how much of a real token it shares.
 */
import { type AccessTokenGrant, Organizations, type Scope } from "@checkout-kit/domain"
import { hash } from "node:crypto"
import { Effect, Layer, Option, Redacted } from "effect"
import { SqlClient } from "effect/sql/SqlClient"
import { CatalogCache } from "./CatalogCache.ts"
import * as Codec from "./Codec.ts"

/** Lowercase hex SHA-256 of the token's UTF-8 bytes. */
export const tokenDigest = (token: string): string => hash("sha256", token, "hex")

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient
  const cache = yield* CatalogCache

  // Through the catalog cache (CatalogCache.ts: at most its ttl old, cleared by local writes). Tokens are not cached.
  const findById = (id: string) =>
    !Codec.isUuid(id)
      ? Effect.succeedNone
      : cache.organizations.get(
        id.toLowerCase(),
        sql<{ data: unknown }>`SELECT data::text AS data FROM organizations WHERE id = ${id}`.pipe(
          Effect.map((rows) => Option.map(Option.fromUndefinedOr(rows[0]), (r) => Codec.organization.decode(r.data))),
          Effect.orDie
        )
      )

  const authenticate = (token: Redacted.Redacted<string>) =>
    sql<{ organization_id: string; data_id: string; scopes: Array<string> }>`SELECT t.organization_id, o.data->>'id' AS data_id, t.scopes
      FROM access_tokens t JOIN organizations o ON o.id = t.organization_id
      WHERE t.token_sha256 = ${tokenDigest(Redacted.value(token))}`.pipe(
      Effect.map((rows) =>
        Option.map(Option.fromUndefinedOr(rows[0]), (r): AccessTokenGrant => ({
          organizationId: r.data_id,
          scopes: new Set(r.scopes as Array<Scope>)
        }))
      ),
      Effect.orDie
    )

  return Organizations.of({ findById, authenticate })
})

export const layer: Layer.Layer<Organizations, never, SqlClient | CatalogCache> = Layer.effect(Organizations, make)
