/**
 * Builders for catalog and customer fixtures with the reference's test conventions as defaults (spec 7: a "fixed
 * product" has one fixed 1000-cent usd price, recurring means monthly, the PWYW fixture has minimum 50). Ids are
 * deterministic UUIDs from a counter so failures are reproducible; pass explicit ids where a test needs them.
 */
import { DateTime } from "effect"
import * as Checkout from "../Checkout.ts"
import type * as CheckoutLink from "../CheckoutLink.ts"
import type { FromLinkInput } from "../CheckoutService.ts"
import type * as Customer from "../Customer.ts"
import type * as CustomField from "../CustomField.ts"
import type * as Discount from "../Discount.ts"
import type { Id } from "../Ids.ts"
import type * as Organization from "../Organization.ts"
import type * as Price from "../Price.ts"
import type * as Product from "../Product.ts"

let counter = 0

/** The n-th deterministic UUID (version 4 shape). */
export const uuidOf = (n: number): Id => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`

/** A fresh deterministic UUID. */
export const uuid = (): Id => uuidOf(++counter + 0x100000)

/** The fixtures' creation time (before any TestClock time used by the tests). */
export const epoch: DateTime.Utc = DateTime.makeUnsafe("2026-01-01T00:00:00.000Z")

export const organization = (o: Partial<Organization.Organization> = {}): Organization.Organization => ({
  id: o.id ?? uuid(),
  createdAt: epoch,
  modifiedAt: null,
  name: "Acme",
  slug: "acme",
  avatarUrl: null,
  isBlocked: false,
  canAcceptPayments: true,
  defaultPresentmentCurrency: "usd",
  defaultTaxBehavior: "location",
  embedHosts: null,
  prorationBehavior: "invoice",
  allowCustomerUpdates: true,
  ...o
})

/** A price builder: the product builder passes the product id. */
export type PriceSpec<P extends Price.Price = Price.Price> = (productId: Id) => P

interface PriceOptions {
  readonly id?: Id
  readonly currency?: string
  readonly isArchived?: boolean
  readonly taxBehavior?: Price.TaxBehaviorOption | null
}

const common = (productId: Id, o: PriceOptions) => ({
  id: o.id ?? uuid(),
  createdAt: epoch,
  modifiedAt: null,
  source: "catalog" as const,
  priceCurrency: o.currency ?? "usd",
  taxBehavior: o.taxBehavior ?? null,
  isArchived: o.isArchived ?? false,
  productId
})

export const fixed = (priceAmount: number, o: PriceOptions = {}): PriceSpec<Price.Fixed> => (productId) => ({
  ...common(productId, o),
  amountType: "fixed",
  priceAmount
})

export const free = (o: PriceOptions = {}): PriceSpec<Price.Fixed> => fixed(0, o)

export const custom = (
  c: { readonly minimumAmount?: number; readonly maximumAmount?: number | null; readonly presetAmount?: number | null } = {},
  o: PriceOptions = {}
): PriceSpec<Price.Custom> =>
(productId) => ({
  ...common(productId, o),
  amountType: "custom",
  minimumAmount: c.minimumAmount ?? 50,
  maximumAmount: c.maximumAmount ?? null,
  presetAmount: c.presetAmount ?? null
})

/** Tiers as a price stores them, the seat bounds read off the first and the last tier (as given: not sorted). */
export const seatTiers = (
  seatTierType: Price.SeatTierType,
  tiers: readonly [Price.SeatTier, ...Array<Price.SeatTier>]
): Price.SeatTiers => ({
  seatTierType,
  tiers,
  minimumSeats: tiers[0].minSeats,
  maximumSeats: tiers[tiers.length - 1]!.maxSeats
})

export const seatBased = (
  tiers: ReadonlyArray<Price.SeatTier>,
  o: PriceOptions & { readonly seatTierType?: Price.SeatTierType } = {}
): PriceSpec<Price.SeatBased> =>
(productId) => {
  const [first, ...rest] = tiers.length > 0 ? tiers : [{ minSeats: 1, maxSeats: null, pricePerSeat: 1000 }]
  return {
    ...common(productId, o),
    amountType: "seat_based",
    seatTiers: seatTiers(o.seatTierType ?? "volume", [first!, ...rest])
  }
}

/** One tier `[min..max]` at `pricePerSeat`. */
export const perSeat = (pricePerSeat: number, minSeats = 1, maxSeats: number | null = null): PriceSpec<Price.SeatBased> =>
  seatBased([{ minSeats, maxSeats, pricePerSeat }])

export const metered = (unitAmount = "100", o: PriceOptions = {}): PriceSpec<Price.MeteredUnit> => (productId) => ({
  ...common(productId, o),
  amountType: "metered_unit",
  unitAmount,
  capAmount: null,
  meterId: uuidOf(0xfeed),
  meter: { id: uuidOf(0xfeed), name: "API calls" }
})

export const monthly = { recurringInterval: "month", recurringIntervalCount: 1 } as const

/** `prices` are builders (given this product's id) or, where a test needs them as they are, finished prices. */
export const product = (
  o: Partial<Omit<Product.Product, "prices">> & {
    readonly organizationId: Id
    readonly prices?: ReadonlyArray<PriceSpec | Price.Price>
  }
): Product.Product => {
  const id = o.id ?? uuid()
  const { prices, ...rest } = o
  return {
    createdAt: epoch,
    modifiedAt: null,
    name: "Product",
    description: null,
    visibility: "public",
    recurringInterval: null,
    recurringIntervalCount: null,
    trialInterval: null,
    trialIntervalCount: null,
    isArchived: false,
    isTaxApplicable: true,
    taxCode: null,
    benefits: [],
    medias: [],
    attachedCustomFields: [],
    metadata: {},
    ...rest,
    id,
    prices: (prices ?? [fixed(1000)]).map((p) => (typeof p === "function" ? p(id) : p))
  }
}

export const benefit = (organizationId: Id, visibility: "public" | "private" = "public"): Product.Benefit => ({
  id: uuid(),
  createdAt: epoch,
  modifiedAt: null,
  type: "custom",
  description: `${visibility} benefit`,
  selectable: true,
  deletable: true,
  isDeleted: false,
  organizationId,
  visibility
})

const discountCommon = (o: Partial<Discount.Discount> & { readonly organizationId: Id }) => ({
  id: o.id ?? uuid(),
  createdAt: o.createdAt ?? epoch,
  modifiedAt: o.modifiedAt ?? null,
  organizationId: o.organizationId,
  name: o.name ?? "Discount",
  code: o.code ?? null,
  duration: o.duration ?? "once",
  durationInMonths: o.durationInMonths ?? null,
  startsAt: o.startsAt ?? null,
  endsAt: o.endsAt ?? null,
  maxRedemptions: o.maxRedemptions ?? null,
  maxRedemptionsPerCustomer: o.maxRedemptionsPerCustomer ?? null,
  redemptionsCount: o.redemptionsCount ?? 0,
  productIds: o.productIds ?? [],
  metadata: o.metadata ?? {}
})

export const fixedDiscount = (
  o: Partial<Omit<Discount.Fixed, "type">> & { readonly organizationId: Id }
): Discount.Fixed => ({ ...discountCommon(o), type: "fixed", amounts: o.amounts ?? { usd: 1000 } })

export const percentageDiscount = (
  o: Partial<Omit<Discount.Percentage, "type">> & { readonly organizationId: Id }
): Discount.Percentage => ({ ...discountCommon(o), type: "percentage", basisPoints: o.basisPoints ?? 5000 })

export const customer = (o: Partial<Customer.Customer> & { readonly organizationId: Id }): Customer.Customer => ({
  id: o.id ?? uuid(),
  createdAt: epoch,
  modifiedAt: null,
  deletedAt: null,
  type: "individual",
  email: "customer@example.com",
  name: null,
  billingName: null,
  billingAddress: null,
  taxId: null,
  externalId: null,
  locale: null,
  metadata: {},
  processorCustomerId: null,
  ...o
})

export const customField = (
  o: Partial<CustomField.CustomField> & { readonly organizationId: Id; readonly slug: string }
): CustomField.CustomField => ({
  id: uuid(),
  createdAt: epoch,
  modifiedAt: null,
  name: o.slug,
  type: "text",
  properties: {},
  metadata: {},
  ...o
})

export const attach = (field: CustomField.CustomField, required = false, order = 0): CustomField.Attached => ({
  customFieldId: field.id,
  customField: field,
  order,
  required
})

/** A field of `type` named by its slug, attached (optional unless `required`): for custom-field data tests. */
export const attachedField = (
  slug: string,
  type: CustomField.Type,
  properties: CustomField.Properties = {},
  required = false,
  organizationId: Id = uuidOf(1)
): CustomField.Attached => attach(customField({ organizationId, slug, type, properties }), required)

/**
 * A new link as the reference defaults it (what a bare create body gets: stripe, discount codes allowed, no billing
 * address required, no seats, labels, URLs, trial or metadata), before it is given an id and a client secret.
 */
export const linkDraft = (
  organizationId: Id,
  productIds: readonly [string, ...Array<string>],
  createdAt: DateTime.Utc = epoch
): Omit<CheckoutLink.CheckoutLink, "id" | "clientSecret"> => ({
  createdAt,
  modifiedAt: null,
  deletedAt: null,
  version: 1,
  paymentProcessor: "stripe",
  successUrl: null,
  returnUrl: null,
  label: null,
  allowDiscountCodes: true,
  requireBillingAddress: false,
  seats: null,
  discountId: null,
  organizationId,
  trialInterval: null,
  trialIntervalCount: null,
  metadata: {},
  productIds
})

/** A stored link with `linkDraft`'s defaults, created at the epoch, its client secret derived from its id. */
export const link = (
  id: Id,
  organizationId: Id,
  productIds: readonly [string, ...Array<string>],
  overrides: Partial<CheckoutLink.CheckoutLink> = {}
): CheckoutLink.CheckoutLink => ({
  id,
  clientSecret: `polar_cl_${id.replaceAll("-", "")}`,
  ...linkDraft(organizationId, productIds),
  ...overrides
})

/**
 * A stored open checkout: the domain's defaults for a new checkout, priced at 1000 usd cents, created at the epoch
 * (no product: pure status-machine and view tests). Services create real ones; use this where a plain value is enough.
 */
export const checkout = (o: Partial<Checkout.Checkout> = {}): Checkout.Checkout => {
  const id = o.id ?? uuid()
  return Checkout.make({
    id,
    createdAt: epoch,
    clientSecret: `polar_c_${id.replaceAll("-", "")}`,
    expiresAt: DateTime.add(epoch, { hours: 24 }),
    organizationId: uuidOf(1),
    currency: "usd",
    amount: 1000,
    netAmount: 1000,
    totalAmount: 1000,
    ...o
  })
}

/**
 * What a link hands `createFromLink` when it is opened: the organization and its products, no prefill, discount
 * codes allowed; `o` sets the prefills a test needs.
 */
export const fromLinkInput = (
  organization: Organization.Organization,
  products: ReadonlyArray<Product.Product>,
  o: Partial<FromLinkInput> = {}
): FromLinkInput => ({
  organization,
  products,
  selectedProductId: null,
  seatLock: null,
  amount: null,
  discountId: null,
  discountCode: null,
  trialInterval: null,
  trialIntervalCount: null,
  allowDiscountCodes: true,
  requireBillingAddress: false,
  successUrl: null,
  returnUrl: null,
  metadata: {},
  embedOrigin: null,
  customerIpAddress: null,
  customerEmail: null,
  customerName: null,
  customFieldData: {},
  locale: null,
  ...o
})
