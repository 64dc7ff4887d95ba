/**
 * Request bodies of the checkout endpoints (spec §4.2): `CheckoutCreate` (three variants), `CheckoutUpdate` (org),
 * `CheckoutUpdatePublic` (client) and `CheckoutConfirmStripe` (confirm).
 *
 * Create bodies decode with every default applied, so handlers see concrete values. Update bodies keep "absent"
 * and "explicit null" apart (`optionalKey(NullOr(...))`): absent leaves a field untouched, `null` clears it (except
 * `customer_billing_address`, whose null the domain ignores, as the reference does).
 * Unknown keys (e.g. `payment_processor`, or `metadata` on the client update) are dropped.
 */
import { Schema, SchemaTransformation } from "effect"
import { AddressInput } from "./Address.ts"
import {
  BlankAsNull,
  blankAsNull,
  DiscountCode,
  Email,
  HttpUrl,
  IpAddress,
  isEveryKey,
  Locale
} from "./Input.ts"
import { CustomFieldDataInput, MetadataInput } from "./Metadata.ts"
import { ProductPriceCreate } from "./Price.ts"
import { NonNegativeAmount, PresentmentCurrency, TrialInterval, Uuid } from "./Scalars.ts"


/** 1–10 000 seats. */
export const Seats = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1), Schema.isLessThanOrEqualTo(10000))
/** At least one unit. */
export const Units = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1))
/** 1–1000 trial interval units. */
export const TrialIntervalCount = Schema.Int.check(Schema.isGreaterThanOrEqualTo(1), Schema.isLessThanOrEqualTo(1000))
/** Customer display name: at most 256 characters, blank means none. */
export const CustomerName = blankAsNull(Schema.String.check(Schema.isMaxLength(256)))

/**
 * Both trial keys set, or neither (`null` and absent both count as unset). Reported on the body itself, as the
 * reference's model validator does.
 */
export const isTrialPair = <
  T extends { readonly trial_interval?: TrialInterval | null; readonly trial_interval_count?: number | null }
>() => Schema.makeFilter<T>(trialPairProblem, { expected: "both trial keys or neither", pydanticType: "value_error" })

/** The trial-pair rule (the filter above). */
const trialPairProblem = (
  body: { readonly trial_interval?: TrialInterval | null; readonly trial_interval_count?: number | null }
): string | undefined =>
  (body.trial_interval == null) === (body.trial_interval_count == null)
    ? undefined
    : "Value error, Both trial_interval and trial_interval_count must be set together."

/**
 * `min_seats <= max_seats` when both are set, reported on the body itself as the reference's model validator
 * (`CheckoutCreateBase._validate_seat_constraints`) does.
 */
export const seatRangeProblem = (
  body: { readonly min_seats?: number | null; readonly max_seats?: number | null }
): string | undefined =>
  body.min_seats != null && body.max_seats != null && body.min_seats > body.max_seats
    ? "Value error, min_seats must be less than or equal to max_seats."
    : undefined

export const isSeatRange = <T extends { readonly min_seats?: number | null; readonly max_seats?: number | null }>() =>
  Schema.makeFilter<T>(seatRangeProblem, { expected: "min_seats <= max_seats", pydanticType: "value_error" })

/** Product ids must not repeat. */
export const UniqueProductIds = Schema.Array(Uuid).check(
  Schema.isMinLength(1),
  Schema.makeFilter<ReadonlyArray<string>>(
    (ids) => new Set(ids).size === ids.length ? undefined : "Value error, Product IDs must be unique.",
    { expected: "unique product ids", pydanticType: "value_error" }
  )
)

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/u

/** `product_id → ad-hoc prices`, at least one price per product; every key must be a UUID. */
export const AdHocPrices = Schema.Record(Schema.String, Schema.Array(ProductPriceCreate).check(Schema.isMinLength(1)))
  .check(isEveryKey((key) => uuidPattern.test(key), "Input should be a valid UUID", "uuid_parsing"))

/**
 * `CheckoutCreateBase`: the fields every create variant shares, as decoded (every key present). On the wire each is
 * an optional key (`makeCreate`); an absent key takes its reference default in `finishCreate`, a plain
 * function run once per body (per-key decoding defaults cost an effectful step per key, present or not).
 */
const createBaseFields = {
  metadata: MetadataInput,
  custom_field_data: CustomFieldDataInput,
  trial_interval: Schema.NullOr(TrialInterval),
  trial_interval_count: Schema.NullOr(TrialIntervalCount),
  discount_id: Schema.NullOr(Uuid),
  allow_discount_codes: Schema.Boolean,
  require_billing_address: Schema.Boolean,
  amount: Schema.NullOr(NonNegativeAmount),
  seats: Schema.NullOr(Seats),
  min_seats: Schema.NullOr(Seats),
  max_seats: Schema.NullOr(Seats),
  units: Schema.NullOr(Units),
  min_units: Schema.NullOr(Units),
  max_units: Schema.NullOr(Units),
  allow_trial: Schema.Boolean,
  customer_id: Schema.NullOr(Uuid),
  is_business_customer: Schema.Boolean,
  external_customer_id: Schema.NullOr(Schema.String),
  customer_name: CustomerName,
  customer_email: Schema.NullOr(Email),
  customer_ip_address: Schema.NullOr(IpAddress),
  customer_billing_name: BlankAsNull,
  customer_billing_address: Schema.NullOr(AddressInput),
  customer_tax_id: BlankAsNull,
  customer_metadata: MetadataInput,
  subscription_id: Schema.NullOr(Uuid),
  /** May contain the literal `{CHECKOUT_ID}` placeholder. */
  success_url: Schema.NullOr(HttpUrl),
  return_url: Schema.NullOr(HttpUrl),
  embed_origin: Schema.NullOr(Schema.String),
  locale: Schema.NullOr(Locale)
}

type CreateBase = Schema.Struct.Type<typeof createBaseFields>

/** The reference defaults that are not `null` (every other absent create key decodes to `null`). */
const createDefaults: { readonly [K in keyof CreateBase]?: CreateBase[K] } = {
  metadata: {},
  custom_field_data: {},
  allow_discount_codes: true,
  require_billing_address: false,
  allow_trial: true,
  is_business_customer: false,
  customer_metadata: {}
}

/** Every key of a variant (`keys`, in the schema's order) with its reference default: the start of each decoded body. */
const defaultBody = (keys: ReadonlyArray<string>): Readonly<Record<string, unknown>> =>
  Object.fromEntries(keys.map((key) => [key, (createDefaults as Record<string, unknown>)[key] ?? null]))

/**
 * The reference's post-processing of a decoded create body: absent keys take their defaults (a copy of the
 * variant's `defaultBody`, so the keys keep the schema's order), the deprecated `customer_external_id` alias is
 * folded into `external_customer_id`. (`require_billing_address` forced on by a street-level address is the
 * domain's rule, `BillingAddress.impliedRequireBillingAddress`, applied once at create.)
 */
const finishCreate = <T>(
  defaults: Readonly<Record<string, unknown>>,
  raw: { readonly [key: string]: unknown; readonly customer_external_id?: string | null | undefined }
): T => {
  const body: Record<string, unknown> = { ...defaults }
  // Only the keys sent: a body usually carries two or three of the ~34.
  for (const key in raw) {
    const value = raw[key]
    if (value !== undefined && Object.hasOwn(defaults, key)) body[key] = value
  }
  const typed = body as unknown as { -readonly [K in keyof CreateBase]: CreateBase[K] }
  typed.external_customer_id = typed.external_customer_id ?? raw.customer_external_id ?? null
  return body as unknown as T
}

/**
 * The decoded side of a create variant: what `finishCreate` builds out of an input that has just passed the wire
 * schema, so it is not checked a second time (re-parsing it with `Schema.toType` of the variant cost more than
 * decoding the wire body itself).
 */
const decodedBody = <T>() => Schema.declare<T>((u): u is T => typeof u === "object" && u !== null)

/** Every field of `fields` as an optional key on the wire. */
const optionalKeys = <const F extends Schema.Struct.Fields>(fields: F) =>
  Object.fromEntries(Object.entries(fields).map(([key, schema]) => [key, Schema.optionalKey(schema)])) as unknown as {
    readonly [K in keyof F]: Schema.optionalKey<F[K]>
  }

/**
 * One create variant: as decoded (`typed`, every key present) and as accepted on input (the shared keys and the
 * variant's `optional` ones as optional keys, its `required` ones as they are, the alias), with the trial-pair
 * and seat-range rules and `finishCreate` between them.
 */
const makeCreate = <const O extends Schema.Struct.Fields, const R extends Schema.Struct.Fields>(
  optional: O,
  required: R,
  identifier: string
) => {
  const typed = Schema.Struct({ ...createBaseFields, ...required, ...optional })
  const input = Schema.Struct({
    ...optionalKeys(createBaseFields),
    ...required,
    ...optionalKeys(optional),
    /** Deprecated alias of `external_customer_id`. */
    customer_external_id: Schema.optionalKey(Schema.NullOr(Schema.String))
  }).check(isTrialPair(), isSeatRange())
  const defaults = defaultBody(Object.keys(typed.fields))
  return input.pipe(
    Schema.decodeTo(
      decodedBody<typeof typed.Type>(),
      SchemaTransformation.transform({
        decode: (raw) => finishCreate<typeof typed.Type>(defaults, raw as unknown as Record<string, unknown>),
        encode: (body) => body as unknown as typeof input.Type
      })
    )
  ).annotate({ identifier })
}

/** Current create body: a list of products (the first is selected). */
export const CheckoutProductsCreate = makeCreate({
  currency: Schema.NullOr(PresentmentCurrency),
  prices: Schema.NullOr(AdHocPrices)
}, { products: UniqueProductIds }, "CheckoutProductsCreate")
export type CheckoutProductsCreate = typeof CheckoutProductsCreate.Type

/** Deprecated create body: a single product. */
export const CheckoutProductCreate = makeCreate({
  currency: Schema.NullOr(PresentmentCurrency)
}, { product_id: Uuid }, "CheckoutProductCreate")
export type CheckoutProductCreate = typeof CheckoutProductCreate.Type

/** Deprecated create body: a single price. */
export const CheckoutPriceCreate = makeCreate({}, { product_price_id: Uuid }, "CheckoutPriceCreate")
export type CheckoutPriceCreate = typeof CheckoutPriceCreate.Type

/**
 * `CheckoutCreate`, decoded in this order; the first variant that matches wins. Narrow with
 * `"products" in body` / `"product_id" in body` / `"product_price_id" in body`.
 */
export const CheckoutCreate = Schema.Union([CheckoutProductsCreate, CheckoutProductCreate, CheckoutPriceCreate])
export type CheckoutCreate = typeof CheckoutCreate.Type

const patch = <S extends Schema.Top>(schema: S) => Schema.optionalKey(Schema.NullOr(schema))

/** Fields shared by the org update, the client update and confirm (`CheckoutUpdateBase`). */
const updateBaseFields = {
  custom_field_data: Schema.optionalKey(CustomFieldDataInput),
  product_id: patch(Uuid),
  /** Deprecated; honoured only together with `product_id`. */
  product_price_id: patch(Uuid),
  amount: patch(NonNegativeAmount),
  seats: patch(Seats),
  units: patch(Units),
  is_business_customer: patch(Schema.Boolean),
  customer_name: Schema.optionalKey(CustomerName),
  customer_email: patch(Email),
  customer_billing_name: Schema.optionalKey(BlankAsNull),
  customer_billing_address: patch(AddressInput),
  /** Explicit `null` clears it. */
  customer_tax_id: Schema.optionalKey(BlankAsNull),
  locale: patch(Locale)
}

/** Org-API update. Absent = untouched; `metadata` replaces (`{}` clears); `discount_id: null` clears. */
export const CheckoutUpdate = Schema.Struct({
  ...updateBaseFields,
  trial_interval: patch(TrialInterval),
  trial_interval_count: patch(TrialIntervalCount),
  metadata: Schema.optionalKey(MetadataInput),
  currency: patch(PresentmentCurrency),
  discount_id: patch(Uuid),
  allow_discount_codes: patch(Schema.Boolean),
  require_billing_address: patch(Schema.Boolean),
  allow_trial: patch(Schema.Boolean),
  customer_ip_address: patch(IpAddress),
  customer_metadata: patch(MetadataInput),
  success_url: patch(HttpUrl),
  return_url: patch(HttpUrl),
  embed_origin: patch(Schema.String)
}).check(isTrialPair()).annotate({ identifier: "CheckoutUpdate" })
export type CheckoutUpdate = typeof CheckoutUpdate.Type

const publicUpdateFields = {
  ...updateBaseFields,
  /** Blank means none. */
  payment_method_type: Schema.optionalKey(BlankAsNull),
  /** Trimmed; blank or explicit `null` clears the code. */
  discount_code: Schema.optionalKey(DiscountCode),
  /** Only `false` (opt out of the trial) or `null`. */
  allow_trial: patch(Schema.Literal(false))
}

/** Client-API update (by client secret). `metadata` is not accepted here and is silently dropped. */
export const CheckoutUpdatePublic = Schema.Struct(publicUpdateFields).annotate({ identifier: "CheckoutUpdatePublic" })
export type CheckoutUpdatePublic = typeof CheckoutUpdatePublic.Type

/** Confirm body: a client update plus the Stripe ConfirmationToken id (required when a payment form is). */
export const CheckoutConfirmStripe = Schema.Struct({
  ...publicUpdateFields,
  confirmation_token_id: patch(Schema.String)
}).annotate({ identifier: "CheckoutConfirmStripe" })
export type CheckoutConfirmStripe = typeof CheckoutConfirmStripe.Type
