/**
 * Identifiers. Entities are identified by UUIDs, as in the reference; a malformed id is a validation error at the
 * edge, never a lookup. Ids are generated through the `Ids` port so tests are deterministic.
 */
import { Schema } from "effect"

export const Id = Schema.String.check(Schema.isUUID())
export type Id = typeof Id.Type
