/**
 * README example: subscribe in-process to committed checkout events (fulfilment without webhooks). The stream
 * starts "from now on"; keep the `position` of the last event you handled and resume with `streamCommittedEvents({ after })`.
 */
import { Console, Effect, Fiber, Layer, Stream } from "effect"
import { CheckoutService, streamCommittedEvents } from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator } from "@checkout-kit/domain/testing"
import { Seed } from "@checkout-kit/http-api"
import { MemoryStore } from "@checkout-kit/store-memory"

const acme = { organizationId: "11111111-1111-4111-8111-000000000001" }     // demo seed organization
const starterKit = "22222222-2222-4222-8222-000000000001"                   // demo seed product: $10 one-time

const program = Effect.gen(function*() {
  const fulfilment = yield* streamCommittedEvents().pipe(
    Stream.take(5),
    Stream.runForEach(({ position, event }) =>
      Console.log(`#${position} ${event.type} (${event.checkout.status})`)),
    Effect.forkChild
  )
  yield* Effect.sleep("100 millis")                            // the subscription starts "from now on"
  const checkouts = yield* CheckoutService.CheckoutService
  const created = yield* checkouts.create(acme, { products: [starterKit], customerEmail: "ada@example.com" })
  const confirmed = yield* checkouts.confirm(created.checkout.clientSecret, {
    customerBillingAddress: { country: "FR" },
    customFieldData: { team_size: "2-10" },
    confirmationTokenId: "ctoken_from_stripe_js"
  })
  // What Stripe's webhook reports once the payment went through:
  yield* checkouts.paymentSucceeded({ checkoutId: created.checkout.id, intentId: confirmed.checkout.currentIntentId })
  yield* Fiber.join(fulfilment)
})

const layers = CheckoutService.CheckoutService.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStore.layerFrom(Seed.demo), FakePaymentProcessor.layer(), FakeTaxCalculator.layer()))
)

Effect.runPromise(program.pipe(Effect.provide(layers)))
