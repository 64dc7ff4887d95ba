/**
 * Spans for the use cases, paid for only when tracing is on.
 *
 * `Effect.fn(name)` captures the call site (`new Error()`) and opens a span on every call: ~2.7 µs per call even
 * with tracing off (`References.TracerEnabled = false`), more than a whole `clientGet` costs in a microbenchmark.
 * `fn(name)` reads `TracerEnabled` first and opens the same named span only when it is on (~0.2 µs when off).
 * What is given up is the call-site frame `Effect.fn` adds to failure traces; spans keep their names.
 *
 * Each span carries what an operator needs and nothing a buyer typed: `organization.id` (the caller's or the
 * entity's), `checkout.id` / `checkout_link.id` (the entity returned), `checkout.status`, and `outcome` (`success`,
 * or the tag of the expected failure, or `defect`/`interrupted`). Never e-mails, secrets or amounts typed by people.
 */
import { Cause, Effect, Exit, References } from "effect"

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

/** Ids from a caller argument and a returned entity (a Checkout, a CheckoutLink, or an object holding one). */
const attributesOf = (name: string, args: ReadonlyArray<unknown>, exit: Exit.Exit<unknown, unknown>) => {
  const attributes: Record<string, string> = {}
  const first = args[0] as { readonly organizationId?: unknown } | undefined
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
    if (id !== undefined && str(entity?.organizationId) !== undefined) {
      attributes[name.startsWith("CheckoutLinkService") ? "checkout_link.id" : "checkout.id"] = id
      attributes["organization.id"] = str(entity?.organizationId)!
      const status = str(entity?.status)
      if (status !== undefined) attributes["checkout.status"] = status
    }
  } else {
    const error = Cause.findErrorOption(exit.cause)
    attributes["outcome"] = error._tag === "Some"
      ? str((error.value as { _tag?: unknown })?._tag) ?? "failure"
      : Cause.hasInterruptsOnly(exit.cause) ? "interrupted" : "defect"
  }
  return attributes
}

type ErrorOf<Eff> = [Eff] extends [never] ? never : [Eff] extends [Effect.Effect<infer _A, infer E, infer _R>] ? E : never
type ServicesOf<Eff> = [Eff] extends [never] ? never
  : [Eff] extends [Effect.Effect<infer _A, infer _E, infer R>] ? R
  : never

/** Like `Effect.fn(name)(body)`: the body's effect, inside a span called `name` when a tracer is on. */
export const fn = (name: string) =>
<Eff extends Effect.Effect<any, any, any>, AEff, Args extends Array<any>>(
  body: (...args: Args) => Generator<Eff, AEff, never>
): (...args: Args) => Effect.Effect<AEff, ErrorOf<Eff>, ServicesOf<Eff>> => {
  const run = Effect.fnUntraced(body) as (...args: Args) => Effect.Effect<AEff, ErrorOf<Eff>, ServicesOf<Eff>>
  return (...args) =>
    Effect.withFiber((fiber) =>
      fiber.getRef(References.TracerEnabled)
        ? Effect.withSpan(
          Effect.onExit(run(...args), (exit) => Effect.annotateCurrentSpan(attributesOf(name, args, exit))),
          name
        )
        : run(...args)
    )
}
