/**
 * The checkout-link service (spec 4.3, 6 "Checkout-link rules"): its interface, input types and `layer`. Create,
 * read, list, update and soft-delete links of the caller's organization, drop archived products from links, and open
 * a link (the redirect flow), which creates a fresh checkout through CheckoutService's building block. Another
 * organization's link does not exist for the caller (ResourceNotFound), exactly like an unknown id.
 *
 * Each use case lives in `internal/links/` (`create.ts`, `read.ts`, `update.ts`, `open.ts`), over the lookups and
 * validations of `load.ts`.
 */
import type { Array as Arr } from "effect"
import { Context, Effect, Layer } from "effect"
import type * as CheckoutLink from "./CheckoutLink.ts"
import { CheckoutService } from "./CheckoutService.ts"
import type { CheckoutView } from "./CheckoutView.ts"
import type * as Errors from "./Errors.ts"
import type { Id } from "./Ids.ts"
import * as Create from "./internal/links/create.ts"
import * as Load from "./internal/links/load.ts"
import * as Open from "./internal/links/open.ts"
import * as Read from "./internal/links/read.ts"
import * as Update from "./internal/links/update.ts"
import type * as Metadata from "./Metadata.ts"
import { Catalog } from "./ports/Catalog.ts"
import { CheckoutLinkRepository, type LinkSortField } from "./ports/CheckoutLinkRepository.ts"
import type { Page, Sort } from "./ports/CheckoutRepository.ts"
import { Organizations } from "./ports/Organizations.ts"
import { Secrets } from "./ports/Secrets.ts"
import { UnitOfWork } from "./ports/UnitOfWork.ts"
import type * as Product from "./Product.ts"

/** The organization the caller acts for (an organization access token's grant). */
export interface Caller {
  readonly organizationId: Id
}

/** Settings shared by the three create variants; omitted fields take the reference defaults. */
export interface CreateSettings {
  readonly paymentProcessor?: "stripe"
  readonly label?: string | null
  readonly allowDiscountCodes?: boolean
  readonly requireBillingAddress?: boolean
  readonly discountId?: Id | null
  /** Seat lock (1-10 000, checked by the request schema). */
  readonly seats?: number | null
  /** Kept raw: `{CHECKOUT_ID}` is substituted per checkout, not on the link. */
  readonly successUrl?: string | null
  readonly returnUrl?: string | null
  readonly metadata?: Metadata.Metadata
  readonly trialInterval?: Product.Interval | null
  readonly trialIntervalCount?: number | null
}

/** `products` is the current form; `productId` and `productPriceId` are the deprecated ones. */
export type CreateInput =
  | (CreateSettings & { readonly products: Arr.NonEmptyReadonlyArray<Id> })
  | (CreateSettings & { readonly productId: Id })
  | (CreateSettings & { readonly productPriceId: Id })

/**
 * The create settings (but the processor, fixed at creation) and the product list. Absent fields are left
 * unchanged; an explicit null clears a nullable field.
 */
export interface UpdateInput extends Omit<CreateSettings, "paymentProcessor"> {
  readonly products?: Arr.NonEmptyReadonlyArray<Id>
}

export interface ListInput {
  /** Narrows to these organizations (intersected with the caller's). */
  readonly organizationIds?: ReadonlyArray<Id>
  /** Links containing any of these products. */
  readonly productIds?: ReadonlyArray<Id>
  /** Default: created_at ascending. */
  readonly sorting?: ReadonlyArray<Sort<LinkSortField>>
  /** From 1; default 1. */
  readonly page?: number
  /** Clamped to 1-100; default 10. */
  readonly limit?: number
}

/**
 * What the buyer's link URL asks for (the HTTP adapter reads it off the query string). Every part is optional and
 * a prefill that does not fit (unknown product, amount out of range, bad email, unknown code) is dropped, never
 * rejected.
 */
export interface Prefill {
  /** The embedding page's origin, checked against the organization's allowed hosts. */
  readonly embedOrigin?: string | null
  /** Selects this product when the link offers it. */
  readonly productId?: string | null
  /** Minor units, for a custom-amount price. */
  readonly amount?: number | null
  readonly discountCode?: string | null
  readonly customerEmail?: string | null
  readonly customerName?: string | null
  /** Raw custom field values by slug; validated on the checkout, invalid ones dropped. */
  readonly customFieldData?: Readonly<Record<string, string>>
  /** Tracking values (reference id, UTM) that join the checkout metadata where the link's metadata lacks the key. */
  readonly tracking?: Readonly<Record<string, string>>
}

export interface OpenInput {
  readonly clientSecret: string
  readonly prefill: Prefill
  readonly ipAddress: string | null
}

export interface Opened {
  /** The fresh checkout; the adapter sends the buyer to its `url`. */
  readonly checkout: CheckoutView
}

export class CheckoutLinkService extends Context.Service<CheckoutLinkService, {
  readonly create: (
    caller: Caller,
    input: CreateInput
  ) => Effect.Effect<CheckoutLink.CheckoutLink, Errors.RequestValidationError>
  readonly get: (caller: Caller, id: Id) => Effect.Effect<CheckoutLink.CheckoutLink, Errors.ResourceNotFound>
  readonly list: (caller: Caller, input: ListInput) => Effect.Effect<Page<CheckoutLink.CheckoutLink>>
  readonly update: (
    caller: Caller,
    id: Id,
    input: UpdateInput
  ) => Effect.Effect<
    CheckoutLink.CheckoutLink,
    Errors.ResourceNotFound | Errors.RequestValidationError | Errors.VersionConflict
  >
  /** Soft delete: the link disappears from every read and can no longer be opened. */
  readonly delete: (caller: Caller, id: Id) => Effect.Effect<void, Errors.ResourceNotFound | Errors.VersionConflict>
  /**
   * Called when a product is archived: removes it from every link of its organization; a link left with no product
   * is soft-deleted. Returns the number of links changed.
   */
  readonly archiveProduct: (productId: Id) => Effect.Effect<number, Errors.VersionConflict>
  /**
   * Opens a link (the public redirect endpoint): creates a fresh checkout from it and the query prefill. A deleted
   * link or one of a blocked organization is ResourceNotFound; a refused embed origin is EmbedHostNotAllowed.
   */
  readonly openLink: (input: OpenInput) => Effect.Effect<
    Opened,
    Errors.ResourceNotFound | Errors.EmbedHostNotAllowed | Errors.RequestValidationError | Errors.TaxCalculationTechnicalError
  >
}>()("@checkout-kit/domain/CheckoutLinkService") {
  static readonly layer = Layer.effect(
    CheckoutLinkService,
    Effect.gen(function*() {
      const kit = Load.make({
        links: yield* CheckoutLinkRepository,
        catalog: yield* Catalog,
        secrets: yield* Secrets,
        uow: yield* UnitOfWork,
        organizations: yield* Organizations,
        checkouts: yield* CheckoutService
      })
      const { create } = Create.make(kit)
      const { get, list } = Read.make(kit)
      const { update, delete: delete_, archiveProduct } = Update.make(kit)
      const { openLink } = Open.make(kit)
      return CheckoutLinkService.of({ create, get, list, update, delete: delete_, archiveProduct, openLink })
    })
  )
}
