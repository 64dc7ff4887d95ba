/**
 * Scalar wire types shared by every response and request shape: identifiers, timestamps, money amounts and the
 * string enums of the Polar contract. Kept apart so that the big object schemas read like the OpenAPI components
 * they mirror.
 */
import { Currency, Ids, Money, Price, Product, Tiers } from "@checkout-kit/domain"
import { DateTime, Schema } from "effect"
import * as Derive from "./Derive.ts"

/** UUID as text. The contract says `uuid4`; ids minted elsewhere may use other versions, so any version is accepted. */
export const Uuid = Schema.String.check(Schema.isUUID()).annotate({ format: "uuid4" })

const earliest = DateTime.makeUnsafe("0001-01-01T00:00:00.000Z")
const latest = DateTime.makeUnsafe("9999-12-31T23:59:59.999Z")

/**
 * RFC 3339 timestamp. In memory a `DateTime.Utc`; on the wire (JSON codec) an ISO string ending in `Z`, e.g.
 * `2025-01-01T10:00:00.000Z`, which the SDK's `z.iso.datetime({ offset: true })` accepts. Years are kept within
 * 0001–9999: outside that range ISO strings gain a sign and six digits, which RFC 3339 does not allow.
 */
export const Timestamp = Schema.DateTimeUtc.check(
  Schema.makeFilter<DateTime.Utc>(
    (dt) => DateTime.Order(dt, earliest) >= 0 && DateTime.Order(dt, latest) <= 0,
    {
      expected: "a date-time between years 0001 and 9999",
      arbitraryConstraint: { order: DateTime.Order, minimum: earliest, maximum: latest }
    }
  )
).annotate({ format: "date-time" })

/** Integer minor units (cents). Safe-integer bounded by `Schema.Int`. */
export const Amount = Schema.Int

/** A non-negative safe integer, for amounts sent by clients. */
export const NonNegativeAmount = Schema.Int.check(Schema.isGreaterThanOrEqualTo(0))

export const CheckoutStatus = Schema.Literals(["open", "expired", "confirmed", "succeeded", "failed"]).annotate({
  identifier: "CheckoutStatus"
})
export type CheckoutStatus = typeof CheckoutStatus.Type

export const PaymentProcessor = Schema.Literals(["stripe"]).annotate({ identifier: "PaymentProcessor" })

export const TrialInterval = Schema.Literals(["day", "week", "month", "year"]).annotate({ identifier: "TrialInterval" })
export type TrialInterval = typeof TrialInterval.Type

export const RecurringInterval = Schema.Literals(["day", "week", "month", "year"]).annotate({
  identifier: "RecurringInterval"
})

export const ProductVisibility = Schema.Literals(["draft", "private", "public"]).annotate({
  identifier: "ProductVisibility"
})

/** Resolved tax behaviour of a checkout (`null` until computed). */
export const TaxBehavior = Schema.Literals(["inclusive", "exclusive"]).annotate({ identifier: "TaxBehavior" })

/** Tax behaviour configured on a price; `location` defers to the buyer's country. */
export const TaxBehaviorOption = Schema.Literals(["location", "inclusive", "exclusive"]).annotate({
  identifier: "TaxBehaviorOption"
})

export const ProductPriceSource = Schema.Literals(["catalog", "ad_hoc"]).annotate({ identifier: "ProductPriceSource" })

/** Deprecated `type` of a price, still serialized by the reference. */
export const ProductPriceType = Schema.Literals(["one_time", "recurring"])

export const SeatTierType = Schema.Literals(["volume", "graduated"]).annotate({ identifier: "SeatTierType" })

export const MeterUnit = Schema.Literals(["scalar", "token", "custom"]).annotate({ identifier: "MeterUnit" })

export const BenefitType = Schema.Literals([
  "custom",
  "discord",
  "github_repository",
  "downloadables",
  "license_keys",
  "meter_credit",
  "feature_flag",
  "slack_shared_channel"
]).annotate({ identifier: "BenefitType" })

export const DiscountType = Schema.Literals(["fixed", "percentage"]).annotate({ identifier: "DiscountType" })

export const DiscountDuration = Schema.Literals(["once", "forever", "repeating"]).annotate({
  identifier: "DiscountDuration"
})

export const BillingAddressFieldMode = Schema.Literals(["required", "optional", "disabled"]).annotate({
  identifier: "BillingAddressFieldMode"
})

export const SubscriptionProrationBehavior = Schema.Literals(["invoice", "prorate", "next_period", "reset"]).annotate({
  identifier: "SubscriptionProrationBehavior"
})

/** The contract's `PresentmentCurrency` codes: the domain's table, so wire and domain never disagree. */
export const presentmentCurrencies = Currency.presentmentCurrencies

export const PresentmentCurrency = Schema.Literals(presentmentCurrencies).annotate({
  identifier: "PresentmentCurrency",
  pydanticType: "enum"
})
export type PresentmentCurrency = typeof PresentmentCurrency.Type

/**
 * Wire shapes derived from domain shapes (`Derive`), with the contract's scalars standing for the domain's: the
 * same values, plus what the OpenAPI document names or formats (`date-time`, `uuid4`, the named enums).
 */
export const derive = Derive.make([
  Derive.scalar(Schema.DateTimeUtc, Timestamp),
  Derive.scalar(Ids.Id, Uuid),
  Derive.scalar(Money.Amount, Amount),
  Derive.scalar(Currency.Code, Schema.String),
  Derive.scalar(Price.TaxBehaviorOption, TaxBehaviorOption),
  Derive.scalar(Price.Source, ProductPriceSource),
  Derive.scalar(Tiers.SeatTierType, SeatTierType),
  Derive.scalar(Product.Visibility, ProductVisibility)
])
