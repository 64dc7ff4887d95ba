/**
 * The create use cases: `POST /v1/checkouts/` and a checkout opened from a checkout link. Load what the body names
 * (organization, products or price, customer, discount), decide with the pure `CheckoutDraft.make` / `fromLink`,
 * then build the checkout (`CheckoutDraft.build`), price it (a tax error is not an error here), store it and publish
 * `checkout.created` in one unit of work.
 */
import { DateTime, Effect, Option, Result } from "effect"
import * as CheckoutConfig from "../../CheckoutConfig.ts"
import type { Caller, CreateInput, FromLinkInput } from "../../CheckoutService.ts"
import * as UseCase from "../UseCase.ts"
import * as CheckoutDraft from "./CheckoutDraft.ts"
import type { Kit, Plan } from "./Kit.ts"
import { invalid } from "./Rules.ts"
import * as Now from "../Now.ts"

export const make = (kit: Kit) => {
  const { catalog, customers, findDiscount, getProducts, organizations, processor, publish, reprice, repo, secrets, uow, viewOf } =
    kit

  /**
   * Builds, prices (tax errors swallowed) and stores a new checkout; emits checkout.created. A generator the two
   * use cases delegate to (`yield* insertNew(plan)`), not an effect of its own: that would add two fiber steps.
   */
  const insertNew = function*(plan: Plan) {
    const ttl = yield* CheckoutConfig.Ttl
    const draft = CheckoutDraft.build(plan, {
      id: yield* secrets.newId,
      clientSecret: yield* secrets.clientSecret("polar_c_"),
      expiresAt: DateTime.addDuration(plan.now, ttl),
      publishableKey: processor.publishableKey
    })
    const priced = yield* reprice(draft, plan.selection, plan.organization)
    const checkout = priced.checkout
    yield* uow.transaction(Effect.andThen(repo.insert(checkout), publish(checkout, "checkout.created")))
    return yield* viewOf({
      checkout,
      organization: plan.organization,
      products: plan.products,
      discount: plan.selection.discount
    })
  }

  /** The catalog's answer for the body's product reference. */
  const findSelection = (input: CreateInput): Effect.Effect<CheckoutDraft.FoundSelection> => {
    switch (CheckoutDraft.selectionRef(input)) {
      case "Products": {
        const ids = input.products!
        return getProducts(ids, (found) => ({ _tag: "Products", ids, found }) as const)
      }
      case "Product":
        return Effect.map(catalog.getProduct(input.productId!), (found) => ({ _tag: "Product", id: input.productId!, found }) as const)
      case "Price":
        return Effect.map(catalog.getPrice(input.productPriceId!), (found) => ({ _tag: "Price", id: input.productPriceId!, found }) as const)
      case "Missing":
        return Effect.succeed({ _tag: "Missing" } as const)
    }
  }

  const findCustomer = (organizationId: string, input: CreateInput) => {
    const ref = CheckoutDraft.customerRef(input)
    return ref === null
      ? Effect.succeed(Option.none())
      : "id" in ref
      ? customers.findById(ref.id)
      : customers.findByExternalId(organizationId, ref.externalId)
  }

  const create = UseCase.fn("CheckoutService.create")(function*(caller: Caller, input: CreateInput) {
    const now = yield* Now.now
    const organization = yield* organizations.findById(caller.organizationId)
    const selection = yield* findSelection(input)
    const customer = yield* findCustomer(caller.organizationId, input)
    const discountId = input.discountId ?? null
    const discount = yield* findDiscount(caller.organizationId, discountId === null ? null : { id: discountId })
    const plan = CheckoutDraft.make(input, { now, organization, selection, customer, discount })
    if (Result.isFailure(plan)) return yield* invalid(plan.failure)
    return yield* insertNew(plan.success)
  })

  const createFromLink = UseCase.fn("CheckoutService.createFromLink")(function*(input: FromLinkInput) {
    const now = yield* Now.now
    const organizationId = input.organization.id
    const code = CheckoutDraft.linkDiscountCode(input)
    const byCode = yield* findDiscount(organizationId, code === null ? null : { code })
    const byId = yield* findDiscount(organizationId, input.discountId === null ? null : { id: input.discountId })
    const plan = CheckoutDraft.fromLink(input, { now, byCode, byId })
    if (Result.isFailure(plan)) return yield* invalid(plan.failure)
    return yield* insertNew(plan.success)
  })

  return { create, createFromLink }
}
