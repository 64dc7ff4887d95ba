/**
 * The customer of a confirm (spec 5 step 13), outside any transaction: found by id, e-mail or external id, or
 * created; merged with the checkout's buyer fields and synced with the payment processor.
 */
import { type DateTime, Effect, Option } from "effect"
import type * as Checkout from "../../Checkout.ts"
import type * as Customer from "../../Customer.ts"
import * as Errors from "../../Errors.ts"
import type { Kit } from "./Kit.ts"
import { mergeCustomer } from "./Rules.ts"

/**
 * Finds (or creates) the customer and syncs it with the processor. A first-time buyer is created with
 * Customers.insertOrGet before the processor customer, so that concurrent confirms of different checkouts by the
 * same new email share one customer: the later ones get its row, as if they had found it by email. No
 * transaction: each write commits on its own, and no row lock is held while the processor is called. The customer
 * stays when the confirm fails afterwards (a decline): it is linked to its processor customer, so the buyer's next
 * attempt reuses both instead of leaving an orphan at the processor.
 */
export const make = ({ customers, processor, secrets }: Pick<Kit, "customers" | "processor" | "secrets">) =>
  Effect.fnUntraced(function*(checkout: Checkout.Checkout, now: DateTime.Utc) {
    let customer: Customer.Customer | null = null
    let matchedByEmailOnly = false
    if (checkout.customerId !== null) {
      const found = Option.getOrUndefined(yield* customers.findById(checkout.customerId))
      if (found === undefined || found.deletedAt !== null) {
        return yield* new Errors.CheckoutCustomerDeleted({ checkoutId: checkout.id, customerId: checkout.customerId })
      }
      customer = found
    } else if (checkout.customerEmail !== null) {
      customer = Option.getOrNull(yield* customers.findByEmail(checkout.organizationId, checkout.customerEmail))
      matchedByEmailOnly = customer !== null
    }
    if (customer === null && checkout.externalCustomerId !== null) {
      const owner = yield* customers.findByExternalId(checkout.organizationId, checkout.externalCustomerId)
      if (Option.isSome(owner)) {
        return yield* new Errors.CheckoutCustomerExternalIdMismatch({
          checkoutId: checkout.id,
          externalCustomerId: checkout.externalCustomerId
        })
      }
    }
    if (customer === null) {
      const fresh: Customer.Customer = {
        id: yield* secrets.newId,
        createdAt: now,
        modifiedAt: null,
        deletedAt: null,
        organizationId: checkout.organizationId,
        type: "individual",
        email: checkout.customerEmail,
        // Named by mergeCustomer below, as the reference creates it without a name and then fills the empty one.
        name: null,
        billingName: null,
        billingAddress: null,
        taxId: null,
        externalId: checkout.externalCustomerId,
        locale: null,
        metadata: {},
        processorCustomerId: null
      }
      const stored = yield* customers.insertOrGet(fresh)
      const email = checkout.customerEmail?.toLowerCase() ?? null
      if (stored.id !== fresh.id) {
        if (email === null || stored.email?.toLowerCase() !== email) {
          // A concurrent request created the owner of this external id: what the lookup above would have answered.
          return yield* new Errors.CheckoutCustomerExternalIdMismatch({
            checkoutId: checkout.id,
            externalCustomerId: checkout.externalCustomerId ?? ""
          })
        }
        matchedByEmailOnly = true
      }
      customer = stored
    }
    const merged = mergeCustomer(customer, checkout, now)
    const { processorCustomerId } = yield* processor.upsertCustomer({
      existingId: merged.processorCustomerId,
      email: merged.email ?? checkout.customerEmail ?? "",
      name: checkout.customerBillingName ?? checkout.customerName,
      address: checkout.customerBillingAddress,
      taxId: checkout.customerTaxId
    })
    const final: Customer.Customer = { ...merged, processorCustomerId }
    yield* customers.update(final)
    return { customer: final, matchedByEmailOnly }
  })
