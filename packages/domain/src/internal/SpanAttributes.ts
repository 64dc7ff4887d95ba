/**
 * The attributes every use-case span carries, set from the call's arguments and its exit.
 *
 * A traced use case is `Effect.fn("CheckoutService.create")(body, SpanAttributes.annotate("CheckoutService.create"))`
 * (`UseCase.fn` writes it): `Effect.fn` opens the named span, this pipeable (run inside it) records what an operator
 * needs and nothing a buyer typed: `organization.id` (the caller's or the entity's), `checkout.id` /
 * `checkout_link.id` (the entity returned), `checkout.status`, and `outcome` (`success`, the tag of the expected
 * failure, or `defect`/`interrupted`). Never e-mails, secrets or amounts typed by people. With tracing off
 * (`References.TracerEnabled = false`) `UseCase.fn` does not use it.
 */
import { Cause, Effect, Exit } from "effect"

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

/** Ids from a caller argument and a returned entity (a Checkout, a CheckoutLink, or an object holding one). */
export const attributesOf = (
  name: string,
  args: ReadonlyArray<unknown>,
  exit: Exit.Exit<unknown, unknown>
): Record<string, string> => {
  const attributes: Record<string, string> = {}
  const first = args[0] as { readonly organizationId?: unknown } | null | undefined
  const organizationId = str(first?.organizationId)
  if (organizationId !== undefined) attributes["organization.id"] = organizationId
  if (Exit.isSuccess(exit)) {
    attributes["outcome"] = "success"
    const value = exit.value as { id?: unknown; organizationId?: unknown; status?: unknown; checkout?: unknown } | null
    const entity = (typeof value?.checkout === "object" && value.checkout !== null ? value.checkout : value) as
      | { id?: unknown; organizationId?: unknown; status?: unknown }
      | null
      | undefined
    const id = str(entity?.id)
    const entityOrganization = str(entity?.organizationId)
    if (id !== undefined && entityOrganization !== undefined) {
      attributes[name.startsWith("CheckoutLinkService") ? "checkout_link.id" : "checkout.id"] = id
      attributes["organization.id"] = entityOrganization
      const status = str(entity?.status)
      if (status !== undefined) attributes["checkout.status"] = status
    }
  } else {
    const error = Cause.findErrorOption(exit.cause)
    attributes["outcome"] = error._tag === "Some"
      ? str((error.value as { _tag?: unknown } | null)?._tag) ?? "failure"
      : Cause.hasInterruptsOnly(exit.cause) ? "interrupted" : "defect"
  }
  return attributes
}

/** A pipeable for `Effect.fn(name)(body, annotate(name))`: sets the span's attributes when the call exits. */
export const annotate = (name: string) =>
<A, E, R>(effect: Effect.Effect<A, E, R>, ...args: ReadonlyArray<unknown>): Effect.Effect<A, E, R> =>
  Effect.onExit(effect, (exit) => Effect.annotateCurrentSpan(attributesOf(name, args, exit)))
