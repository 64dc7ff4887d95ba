/**
 * Every domain schema round-trips: decode(encode(x)) equals x, both through the schema itself and through its JSON
 * codec with a real JSON.stringify/parse in between (what storage and the wire do). Values come from the schemas
 * themselves (effect's Arbitrary, via it.prop).
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Address from "../src/Address.ts"
import * as Checkout from "../src/Checkout.ts"
import * as CheckoutLink from "../src/CheckoutLink.ts"
import * as CheckoutStatus from "../src/CheckoutStatus.ts"
import * as Currency from "../src/Currency.ts"
import * as Customer from "../src/Customer.ts"
import * as CustomField from "../src/CustomField.ts"
import * as Discount from "../src/Discount.ts"
import * as Ids from "../src/Ids.ts"
import * as Metadata from "../src/Metadata.ts"
import * as Money from "../src/Money.ts"
import * as Organization from "../src/Organization.ts"
import * as Price from "../src/Price.ts"
import * as Product from "../src/Product.ts"

const schemas = {
  "Ids.Id": Ids.Id,
  "Currency.Code": Currency.Code,
  "Currency.PresentmentCurrency": Currency.PresentmentCurrency,
  "Money.Amount": Money.Amount,
  "Metadata.Metadata": Metadata.Metadata,
  "Address.Address": Address.Address,
  "Address.TaxId": Address.TaxId,
  "CustomField.CustomField": CustomField.CustomField,
  "CustomField.Attached": CustomField.Attached,
  "CustomField.Data": CustomField.Data,
  "Price.Price": Price.Price,
  "Price.SeatTiers": Price.SeatTiers,
  "Product.Product": Product.Product,
  "Discount.Discount": Discount.Discount,
  "Organization.Organization": Organization.Organization,
  "Customer.Customer": Customer.Customer,
  "CheckoutStatus.Status": CheckoutStatus.Status,
  "Checkout.TaxBreakdownItem": Checkout.TaxBreakdownItem,
  "Checkout.Checkout": Checkout.Checkout,
  "CheckoutLink.CheckoutLink": CheckoutLink.CheckoutLink
} as const

const OPTIONS = { arbitrary: { runs: 25, seed: 20_260_115 } }

describe("domain schemas round-trip", () => {
  for (const [name, schema] of Object.entries(schemas) as Array<[string, Schema.Codec<unknown, unknown>]>) {
    const equivalent = Schema.toEquivalence(schema)
    const json = Schema.toCodecJson(schema)

    it.prop(`${name}: decode(encode(x)) = x`, [schema], ([value]) => {
      const back = Schema.decodeUnknownSync(schema)(Schema.encodeSync(schema)(value))
      expect(equivalent(back, value)).toBe(true)
    }, OPTIONS)

    it.prop(`${name}: through JSON text`, [schema], ([value]) => {
      const text = JSON.stringify(Schema.encodeSync(json)(value))
      const back = Schema.decodeUnknownSync(json)(JSON.parse(text))
      expect(equivalent(back, value)).toBe(true)
    }, OPTIONS)
  }
})
