/**
 * Organizations and their access tokens. Only the SHA-256 digest of a token is kept: a lookup hashes the
 * presented token first, so the map probe's timing depends on the digest, never on how much of a real token an
 * attacker has guessed, and a heap dump holds no usable token.
 */
import { hash } from "node:crypto"
import type { AccessTokenGrant, Organization } from "@checkout-kit/domain"
import { uuidKey } from "./SqlOrder.ts"

/** SHA-256 hex digest of the token's UTF-8 bytes (one-shot `crypto.hash`: no Hash object per request). */
export const tokenDigest = (token: string): string => hash("sha256", token, "hex")

export class OrganizationTable {
  readonly organizations = new Map<string, Organization.Organization>()
  private readonly grants = new Map<string, AccessTokenGrant>()

  put(organization: Organization.Organization): void {
    this.organizations.set(uuidKey(organization.id), organization)
  }

  get(id: string): Organization.Organization | undefined {
    return this.organizations.get(uuidKey(id))
  }

  /** Registers a token by its SHA-256 hex digest. */
  putTokenDigest(digest: string, grant: AccessTokenGrant): void {
    this.grants.set(digest.toLowerCase(), grant)
  }

  authenticate(token: string): AccessTokenGrant | undefined {
    return this.grants.get(tokenDigest(token))
  }
}
