/**
 * What the schemas cost on the hot paths, in isolation: encoding a checkout body with its success schema (what
 * HttpApi does with a handler's answer) and decoding a create body with the endpoint's payload schema (what HttpApi
 * does with a request), each next to `JSON.stringify` / `JSON.parse` of the same JSON as a baseline.
 * Run: `node --conditions=@checkout-kit/source packages/http-api/bench/codec.ts [milliseconds per case]`.
 */
import { CheckoutView } from "@checkout-kit/domain"
import { Fixtures as F } from "@checkout-kit/domain/testing"
import { DateTime, Schema } from "effect"
import * as JsonEncoder from "../src/internal/JsonEncoder.ts"
import * as Responses from "../src/Responses.ts"
import { CheckoutCreate } from "../src/wire/CheckoutInput.ts"
import * as Wire from "../src/wire/index.ts"

const ms = Number(process.argv[2] ?? 1500)
const organization = F.organization({ id: F.uuidOf(1) })
const product = F.product({
  organizationId: organization.id,
  name: "Starter Kit",
  description: "Everything to start.",
  benefits: [F.benefit(organization.id), F.benefit(organization.id)],
  prices: [F.fixed(2500)]
})
const second = F.product({ organizationId: organization.id, name: "Pro", prices: [F.fixed(9900, {}), F.custom()] })
const input: Parameters<typeof CheckoutView.make>[0] = {
  checkout: F.checkout({
    organizationId: organization.id,
    productIds: [product.id, second.id],
    productId: product.id,
    productPriceId: product.prices[0]!.id,
    metadata: { bench: "codec", n: 1 }
  }),
  organization,
  products: [product, second],
  discount: null,
  frontendBaseUrl: "https://pay.example.com",
  customerSessionToken: null
}
const view = CheckoutView.make(input)

const time = (label: string, f: () => unknown): number => {
  for (let i = 0; i < 2000; i++) f()
  let n = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    for (let i = 0; i < 200; i++) f()
    n += 200
  }
  const us = ((performance.now() - start) * 1000) / n
  console.log(`${label.padEnd(52)} ${us.toFixed(2).padStart(7)} µs`)
  return us
}

const encodePublic = Schema.encodeSync(Schema.toCodecJson(Wire.CheckoutPublic))
const encodeCheckout = Schema.encodeSync(Schema.toCodecJson(Wire.Checkout))
const publicJson = encodePublic(Responses.checkoutPublic(view))
const checkoutJson = encodeCheckout(Responses.checkout(view))
console.log(`checkout body ${JSON.stringify(checkoutJson).length} bytes, public ${JSON.stringify(publicJson).length}`)

const a = time("CheckoutPublic: map + schema encode + stringify", () =>
  JSON.stringify(encodePublic(Responses.checkoutPublic(view))))
const compiledPublic = JsonEncoder.compile(Wire.CheckoutPublic)
if (compiledPublic(Responses.checkoutPublic(view)) !== JSON.stringify(publicJson)) throw new Error("differ")
const g = time("CheckoutPublic: map + compiled JSON writer", () =>
  compiledPublic(Responses.checkoutPublic(view)))
// Checkouts of their own (fresh timestamps, as every create answers), over the same catalog objects.
const fresh = Array.from({ length: 4096 }, (_, i) =>
  CheckoutView.make({
    ...input,
    checkout: {
      ...input.checkout,
      createdAt: DateTime.makeUnsafe(i * 1000),
      expiresAt: DateTime.makeUnsafe(i * 1000 + 3_600_000)
    }
  })
)
let k = 0
const h = time("CheckoutPublic, fresh checkouts: compiled encoder", () =>
  compiledPublic(Responses.checkoutPublic(fresh[k++ & 4095]!)))
const i2 = time("CheckoutPublic, fresh checkouts: schema encode", () =>
  JSON.stringify(encodePublic(Responses.checkoutPublic(fresh[k++ & 4095]!))))
const b = time("CheckoutPublic: JSON.stringify of the same JSON", () => JSON.stringify(publicJson))
const c = time("Checkout: map + schema encode + stringify", () => JSON.stringify(encodeCheckout(Responses.checkout(view))))
const d = time("Checkout: JSON.stringify of the same JSON", () => JSON.stringify(checkoutJson))

const body = JSON.stringify({ products: [product.id], metadata: { bench: "codec", n: 1 } })
const decodeCreate = Schema.decodeUnknownSync(Schema.toCodecJson(CheckoutCreate), { errors: "all" })
const e = time("create body: JSON.parse + schema decode", () => decodeCreate(JSON.parse(body)))
const f = time("create body: JSON.parse", () => JSON.parse(body))
console.log(JSON.stringify({ freshCompiled: h, freshSchema: i2, compiledPublic: g, encodePublic: a, stringifyPublic: b, encodeCheckout: c, stringifyCheckout: d, decodeCreate: e, parse: f }))
