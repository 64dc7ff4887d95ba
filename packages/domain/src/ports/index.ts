/** The ports of the domain: interfaces that adapters implement. */
export * from "./Catalog.ts"
export * from "./CheckoutLinkRepository.ts"
export * from "./CheckoutRepository.ts"
export * from "./Customers.ts"
export * from "./Events.ts"
export * from "./Organizations.ts"
export * from "./PaymentProcessor.ts"
export * from "./RandomBytes.ts"
export * from "./RateLimitStore.ts"
export * from "./Secrets.ts"
export * from "./TaxCalculator.ts"
export * from "./UnitOfWork.ts"
export * from "./Webhooks.ts"
export * from "./CommittedEvents.ts"

import type { Catalog } from "./Catalog.ts"
import type { CheckoutLinkRepository } from "./CheckoutLinkRepository.ts"
import type { CheckoutRepository } from "./CheckoutRepository.ts"
import type { Customers } from "./Customers.ts"
import type { Events } from "./Events.ts"
import type { Organizations } from "./Organizations.ts"
import type { UnitOfWork } from "./UnitOfWork.ts"
import type { WebhookEndpoints, WebhookQueue } from "./Webhooks.ts"

/** The ports the checkout use cases read and write through: what every store provides (repository contract). */
export type RepositoryPorts =
  | CheckoutRepository
  | CheckoutLinkRepository
  | Catalog
  | Customers
  | Organizations
  | Events
  | UnitOfWork

/** Every port a store adapter implements: the repository ports and the webhook endpoints and queue. */
export type StorePorts = RepositoryPorts | WebhookEndpoints | WebhookQueue
