/**
 * What the checkout use-case modules share: the loaded-checkout and plan shapes, and the `Kit` of ports and
 * effectful helpers (load, find a discount, gate, reprice, save, publish) that `CheckoutService.layer` builds once
 * (from `load.ts`, `gate.ts`, `reprice.ts`) and hands to each use case (`create.ts`, `read.ts`, `update.ts`,
 * `confirm.ts`, `notify.ts`, `expire.ts`, `reconcile.ts`). The pure deciders (`CheckoutDraft`, `CheckoutPatch`) take
 * no Kit: the use cases load, call them, and persist.
 */
import type { DateTime, Effect, FiberSet, Option, Result } from "effect"
import type * as Checkout from "../../Checkout.ts"
import type { Caller, UpdateInput } from "../../CheckoutService.ts"
import type * as CheckoutView from "../../CheckoutView.ts"
import type * as Customer from "../../Customer.ts"
import type * as Discount from "../../Discount.ts"
import type * as Errors from "../../Errors.ts"
import type * as Organization from "../../Organization.ts"
import type { Catalog } from "../../ports/Catalog.ts"
import type { CheckoutRepository } from "../../ports/CheckoutRepository.ts"
import type { Customers } from "../../ports/Customers.ts"
import type { CheckoutEvent, CheckoutEventType, Events } from "../../ports/Events.ts"
import type { Organizations } from "../../ports/Organizations.ts"
import type { PaymentProcessor } from "../../ports/PaymentProcessor.ts"
import type { Secrets } from "../../ports/Secrets.ts"
import type { TaxCalculator, TaxQuote } from "../../ports/TaxCalculator.ts"
import type { UnitOfWork } from "../../ports/UnitOfWork.ts"
import type * as Product from "../../Product.ts"
import type { Selection } from "./Rules.ts"

/** The tax the amount chain settles on, and the stored tax fields that go with it. */
export type TaxOutcome =
  | { readonly _tag: "NotRequired" }
  | { readonly _tag: "Unchanged" }
  | { readonly _tag: "Quoted"; readonly quote: TaxQuote }
  | { readonly _tag: "Failed"; readonly message: string }

/** A repriced checkout and, when the tax calculator refused the address, its message. */
export interface Repriced {
  readonly checkout: Checkout.Checkout
  readonly taxError: string | null
}

/** Every field a write may carry (org update, client update, confirm), normalised. */
export interface Patch extends Omit<UpdateInput, "allowTrial"> {
  readonly discountCode?: string | null
  readonly paymentMethodType?: string | null
  readonly allowTrial?: boolean | null
}

export type Mode = "org" | "client" | "confirm"

export interface Loaded {
  readonly checkout: Checkout.Checkout
  readonly organization: Organization.Organization
  readonly products: ReadonlyArray<Product.Product>
  readonly discount: Discount.Discount | null
}

/** What a locked read for a write found: a live checkout, or one that expired by time (lazy expiry done). */
export type Gate =
  | { readonly _tag: "Live"; readonly loaded: Loaded }
  | { readonly _tag: "Expired"; readonly checkout: Checkout.Checkout }

/** The tax calculator's `calculate`; confirm swaps in a recorded one inside its transaction (no call to another system). */
export type Calculate = TaxCalculator["Service"]["calculate"]

/** The ports the checkout service is built on. */
export interface Ports {
  readonly repo: CheckoutRepository["Service"]
  readonly catalog: Catalog["Service"]
  readonly customers: Customers["Service"]
  readonly organizations: Organizations["Service"]
  readonly processor: PaymentProcessor["Service"]
  readonly taxes: TaxCalculator["Service"]
  readonly events: Events["Service"]
  readonly secrets: Secrets["Service"]
  readonly uow: UnitOfWork["Service"]
}

export interface Kit extends Ports {
  /**
   * Work that must finish once started (a payment call and the recording of its outcome) runs here, not in the
   * request's fiber: a client disconnect cannot interrupt it, and closing the service's layer waits for it.
   */
  readonly background: FiberSet.FiberSet<unknown, unknown>
  /** The catalog's answer for each id, in order, handed to `f` in the same fiber step. */
  readonly getProducts: <A>(
    ids: ReadonlyArray<string>,
    f: (found: ReadonlyArray<Option.Option<Product.Product>>) => A
  ) => Effect.Effect<A>
  readonly load: (checkout: Checkout.Checkout) => Effect.Effect<Loaded>
  /** What the stored checkout charges: its product, price set, selected price, custom amount and discount. */
  readonly selectionOf: (loaded: Loaded) => Selection
  /** The discount a reference names (`CheckoutPatch.discountRef`); none for no reference. */
  readonly findDiscount: (
    organizationId: string,
    ref: { readonly id: string } | { readonly code: string } | null
  ) => Effect.Effect<Option.Option<Discount.Discount>>
  readonly loadOrganization: (id: string) => Effect.Effect<Organization.Organization>
  /** A write's view, made afresh (`CheckoutView.make`): the value it shows is new, so keeping it would only age it. */
  readonly viewOf: (loaded: Loaded, customerSessionToken?: string | null) => Effect.Effect<CheckoutView.CheckoutView>
  /** A read's view, the same object as last time for the same values (`CheckoutView.remembered`). */
  readonly readViewOf: (loaded: Loaded) => Effect.Effect<CheckoutView.CheckoutView>
  /** A versioned update; a stale version is reported as CheckoutLocked (someone else changed it meanwhile). */
  readonly save: (next: Checkout.Checkout, expectedVersion: number) => Effect.Effect<Checkout.Checkout, Errors.CheckoutLocked>
  readonly publish: (checkout: Checkout.Checkout, ...types: ReadonlyArray<CheckoutEventType>) => Effect.Effect<void>
  readonly publishEvent: (event: CheckoutEvent) => Effect.Effect<void>
  readonly expireNow: (
    checkout: Checkout.Checkout,
    now: DateTime.Utc
  ) => Effect.Effect<Option.Option<Checkout.Checkout>, Errors.CheckoutLocked>
  readonly gateForWrite: (
    clientSecret: string,
    now: DateTime.Utc,
    knownId?: string
  ) => Effect.Effect<Gate, Errors.ResourceNotFound | Errors.NotPermitted | Errors.CheckoutLocked>
  readonly gateForOrgWrite: (
    caller: Caller,
    id: string,
    now: DateTime.Utc
  ) => Effect.Effect<Gate, Errors.ResourceNotFound | Errors.CheckoutLocked>
  readonly reprice: (
    draft: Checkout.Checkout,
    selection: Selection,
    organization: Organization.Organization,
    calculate?: Calculate
  ) => Effect.Effect<Repriced, Errors.TaxCalculationTechnicalError>
  /** A status transition's refusal as the error of a write (an expired checkout is "not open" here). */
  readonly openOrFail: <A>(
    t: Result.Result<A, Errors.NotOpenCheckout | Errors.ExpiredCheckoutError>,
    checkout: Checkout.Checkout
  ) => Effect.Effect<A, Errors.NotOpenCheckout>
  readonly requireOpen: (
    checkout: Checkout.Checkout,
    now: DateTime.Utc
  ) => Effect.Effect<void, Errors.NotOpenCheckout>
}

/** A new checkout decided, before its identity, price and tax. */
export interface Plan {
  /** The clock reading of the request: creation time, and the instant discounts were validated at. */
  readonly now: DateTime.Utc
  readonly organization: Organization.Organization
  readonly products: ReadonlyArray<Product.Product>
  readonly selection: Selection
  readonly seats: number | null
  readonly minSeats: number | null
  readonly maxSeats: number | null
  readonly fields: Partial<Checkout.Checkout>
  readonly customer: Customer.Customer | null
  readonly requestSetBusiness: boolean
}
