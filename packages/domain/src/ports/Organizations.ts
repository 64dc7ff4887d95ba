/**
 * Port: organizations (existence, blocked, can accept payments, defaults, embed hosts) and their access tokens.
 * Token lookup is the adapter's job and must not leak timing: compare hashes, or compare in constant time.
 */
import type { Effect, Option, Redacted } from "effect"
import { Context } from "effect"
import type { Id } from "../Ids.ts"
import type { Organization } from "../Organization.ts"

export type Scope = "checkouts:read" | "checkouts:write" | "checkout_links:read" | "checkout_links:write" | "webhooks:read" | "webhooks:write"

export interface AccessTokenGrant {
  readonly organizationId: Id
  readonly scopes: ReadonlySet<Scope>
}

export class Organizations extends Context.Service<Organizations, {
  readonly findById: (id: Id) => Effect.Effect<Option.Option<Organization>>
  /** The grant of an organization access token, or None when the token is unknown. */
  readonly authenticate: (token: Redacted.Redacted<string>) => Effect.Effect<Option.Option<AccessTokenGrant>>
}>()("@checkout-kit/domain/Organizations") {}
