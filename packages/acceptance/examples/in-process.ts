/**
 * README example: embed the checkout domain in-process. The in-memory store (seeded with the demo catalog), the
 * scripted fake payment processor and a table-driven tax calculator stand in for a database, Stripe and Stripe Tax.
 */
import { Effect, Layer } from "effect"
import { CheckoutService } from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator } from "@checkout-kit/domain/testing"
import { Seed } from "@checkout-kit/http-api"
import { MemoryStore } from "@checkout-kit/store-memory"

const acme = { organizationId: "11111111-1111-4111-8111-000000000001" }     // demo seed organization
const starterKit = "22222222-2222-4222-8222-000000000001"                   // demo seed product: $10 one-time

const program = Effect.gen(function*() {
  const checkouts = yield* CheckoutService.CheckoutService
  const created = yield* checkouts.create(acme, { products: [starterKit], customerEmail: "ada@example.com" })
  const confirmed = yield* checkouts.confirm(created.checkout.clientSecret, {
    customerBillingAddress: { country: "FR" },
    customFieldData: { team_size: "2-10" },                   // a required custom field of the product
    confirmationTokenId: "ctoken_from_stripe_js"
  })
  const { status, amount, netAmount, taxAmount, totalAmount, currency } = confirmed.checkout
  console.log({ status, currency, amount, netAmount, taxAmount, totalAmount })
})

const layers = CheckoutService.CheckoutService.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(
    MemoryStore.layerFrom(Seed.demo),
    FakePaymentProcessor.layer(),
    FakeTaxCalculator.layer({ rates: { FR: 2000 } })
  ))
)

Effect.runPromise(program.pipe(Effect.provide(layers)))
