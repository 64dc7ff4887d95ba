/**
 * The real application in process: `Routes.layer` over the real CheckoutService and CheckoutLinkService, the
 * in-memory store, and the domain testing kit's scripted payment processor and table-driven tax calculator.
 * Requests go through `HttpRouter.toWebHandler` as web `Request`s, so every byte of every answer is what a client
 * would receive. Access tokens are registered in the store (which keeps digests only).
 */
import {
  type AccessTokenGrant,
  CheckoutConfig,
  CheckoutLinkService,
  CheckoutService,
  type Organization,
  PaymentProcessor,
  type Scope,
  WebhookService
} from "@checkout-kit/domain"
import { FakePaymentProcessor, FakeTaxCalculator, Fixtures as F } from "@checkout-kit/domain/testing"
import { MemoryStore, RateLimits } from "@checkout-kit/store-memory"
import { Duration, Effect, Layer, Logger, Option, Redacted } from "effect"
import { HttpRouter, HttpServer, HttpServerRequest } from "effect/http"
import * as RateLimit from "../../../http-api/src/RateLimit.ts"
import * as Routes from "../../../http-api/src/Routes.ts"

// ---------------------------------------------------------------------------------------------------------------
// Catalog
// ---------------------------------------------------------------------------------------------------------------

export const org = F.organization({ id: F.uuidOf(0xa1), name: "Acme", slug: "acme", embedHosts: ["*.acme.test"] })
export const otherOrg = F.organization({ id: F.uuidOf(0xa2), name: "Globex", slug: "globex" })
export const blockableOrg = F.organization({ id: F.uuidOf(0xa3), name: "Initech", slug: "initech" })
export const notReadyOrg = F.organization({ id: F.uuidOf(0xa4), name: "NotReady", slug: "notready", canAcceptPayments: false })

const o = org.id

const select = F.customField({
  organizationId: o,
  slug: "size",
  type: "select",
  properties: { formLabel: "Size", options: [{ value: "s", label: "Small" }, { value: "l", label: "Large" }] }
})
const company = F.customField({ organizationId: o, slug: "company", type: "text", properties: { maxLength: 50 } })

export const fixed = F.product({ organizationId: o, name: "E-book", prices: [F.fixed(1000)] })
export const free = F.product({ organizationId: o, name: "Free guide", prices: [F.free()] })
export const pwyw = F.product({ organizationId: o, name: "Tip jar", prices: [F.custom({ minimumAmount: 50 })] })
export const monthly = F.product({ organizationId: o, name: "Monthly", ...F.monthly, prices: [F.fixed(1000)] })
export const seats = F.product({ organizationId: o, name: "Team", ...F.monthly, prices: [F.perSeat(1500)] })
export const seats2500 = F.product({ organizationId: o, name: "Team 2500", ...F.monthly, prices: [F.perSeat(2500)] })
export const seats2to20 = F.product({ organizationId: o, name: "Team 2..20", ...F.monthly, prices: [F.perSeat(1500, 2, 20)] })
export const fixedAndSeats = F.product({
  organizationId: o,
  name: "Platform + seats",
  ...F.monthly,
  prices: [F.fixed(99_900), F.perSeat(2000)]
})
export const withFields = F.product({
  organizationId: o,
  name: "With fields",
  attachedCustomFields: [F.attach(company, false, 0), F.attach(select, true, 1)]
})
export const withBenefits = F.product({
  organizationId: o,
  name: "With benefits",
  benefits: [F.benefit(o, "public"), F.benefit(o, "private")]
})
export const draft = F.product({ organizationId: o, name: "Draft", visibility: "draft" })
export const foreign = F.product({ organizationId: otherOrg.id, name: "Globex product" })
export const blockableProduct = F.product({ organizationId: blockableOrg.id, name: "Initech product" })
export const notReadyProduct = F.product({ organizationId: notReadyOrg.id, name: "Not ready", prices: [F.fixed(1000)] })

export const save10 = F.percentageDiscount({ organizationId: o, name: "10 %", code: "SAVE10", basisPoints: 1000 })
export const fiveOff = F.fixedDiscount({ organizationId: o, name: "5 off", amounts: { usd: 500, eur: 450 } })

export const seed: MemoryStore.Fixtures = {
  organizations: [org, otherOrg, blockableOrg, notReadyOrg],
  products: [
    fixed, free, pwyw, monthly, seats, seats2500, seats2to20, fixedAndSeats, withFields, withBenefits, draft, foreign,
    blockableProduct, notReadyProduct
  ],
  discounts: [save10, fiveOff]
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------------------------

const all: ReadonlyArray<Scope> = ["checkouts:read", "checkouts:write", "checkout_links:read", "checkout_links:write"]

export const tokens = {
  /** Every scope on Acme. */
  write: "polar_oat_test_write_acme_0000000001",
  /** Read scopes only on Acme. */
  read: "polar_oat_test_read_acme_00000000002",
  /** Every scope on Globex. */
  other: "polar_oat_test_write_globex_000000003",
  /** Every scope on Initech (which tests may block). */
  initech: "polar_oat_test_write_initech_00000004",
  /** Every scope on the organization that cannot take payments. */
  notReady: "polar_oat_test_write_notready_0000005",
  /** Checkout scopes only (no checkout-link scope) on Acme. */
  checkoutsOnly: "polar_oat_test_checkouts_only_000006",
  /** Checkout-link scopes only on Acme. */
  linksOnly: "polar_oat_test_links_only_00000000007"
} as const

const grants: ReadonlyArray<readonly [string, AccessTokenGrant]> = [
  [tokens.write, { organizationId: org.id, scopes: new Set(all) }],
  [tokens.read, { organizationId: org.id, scopes: new Set<Scope>(["checkouts:read", "checkout_links:read"]) }],
  [tokens.other, { organizationId: otherOrg.id, scopes: new Set(all) }],
  [tokens.initech, { organizationId: blockableOrg.id, scopes: new Set(all) }],
  [tokens.notReady, { organizationId: notReadyOrg.id, scopes: new Set(all) }],
  [tokens.checkoutsOnly, { organizationId: org.id, scopes: new Set<Scope>(["checkouts:read", "checkouts:write"]) }],
  [tokens.linksOnly, { organizationId: org.id, scopes: new Set<Scope>(["checkout_links:read", "checkout_links:write"]) }]
]

// ---------------------------------------------------------------------------------------------------------------
// The app
// ---------------------------------------------------------------------------------------------------------------

export interface WorldOptions {
  readonly script?: FakePaymentProcessor.Script
  readonly tax?: FakeTaxCalculator.TaxTable
  readonly ttl?: Duration.Duration
  readonly routes?: Routes.Options
  /** When given, the rate limits are on (memory counters) with these options. */
  readonly rateLimits?: RateLimit.Options
  /** Wraps the payment processor (e.g. to hold confirm in flight). */
  readonly processor?: (inner: PaymentProcessor["Service"]) => PaymentProcessor["Service"]
  /** The transport's peer address (the in-process handler has no socket). */
  readonly peerAddress?: string
  /** When given, the request logger is on and every log line (logfmt, causes included) is appended here. */
  readonly logLines?: Array<string>
}

/** Handles on the world's state, filled when the app starts. */
export interface Handles {
  store: MemoryStore.MemoryStore["Service"]
  processor: FakePaymentProcessor.FakePaymentProcessor["Service"]
  tax: FakeTaxCalculator.FakeTaxCalculator["Service"]
}

export const makeApp = (options: WorldOptions = {}) => {
  const handles = {} as Handles
  const fakes = Layer.mergeAll(
    FakePaymentProcessor.layer(options.script),
    FakeTaxCalculator.layer(options.tax ?? { rates: { FR: 2000, US: 1000 } })
  )
  const processor = options.processor === undefined
    ? fakes
    : Layer.merge(
      fakes,
      Layer.effect(PaymentProcessor, Effect.gen(function*() {
        return options.processor!(yield* PaymentProcessor)
      })).pipe(Layer.provide(fakes))
    )
  const adapters = Layer.mergeAll(
    MemoryStore.layerTest(seed),
    processor,
    Layer.succeed(CheckoutConfig.Ttl, options.ttl ?? Duration.hours(24)),
    Layer.succeed(CheckoutConfig.Urls, { frontendBaseUrl: "https://pay.acme.test" })
  )
  const services = Layer.merge(CheckoutLinkService.CheckoutLinkService.layer, WebhookService.layer).pipe(
    Layer.provideMerge(CheckoutService.CheckoutService.layer),
    Layer.provideMerge(adapters)
  )
  const setup = Layer.effectDiscard(Effect.gen(function*() {
    handles.store = yield* MemoryStore.MemoryStore
    handles.processor = yield* FakePaymentProcessor.FakePaymentProcessor
    handles.tax = yield* FakeTaxCalculator.FakeTaxCalculator
    for (const [token, grant] of grants) yield* handles.store.putAccessToken(Redacted.make(token), grant)
  }))
  const lines = options.logLines
  const logging = lines === undefined
    ? Layer.empty
    : Logger.layer([Logger.make((entry) => void lines.push(String(Logger.formatLogFmt.log(entry))))])
  const limits = options.rateLimits === undefined
    ? Layer.empty
    : RateLimit.layer(options.rateLimits).pipe(Layer.provide(RateLimits.layer))
  const app = Layer.mergeAll(Routes.layer(options.routes), setup, logging, limits).pipe(
    Layer.provide(services),
    Layer.provide(HttpServer.layerServices)
  )
  const peer = options.peerAddress === undefined ? Option.none<string>() : Option.some(options.peerAddress)
  const { handler, dispose } = HttpRouter.toWebHandler(app, {
    disableLogger: lines === undefined,
    middleware: (effect) =>
      Effect.updateService(
        effect,
        HttpServerRequest.HttpServerRequest,
        (request) => request.modify({ remoteAddress: peer, peerAddress: peer })
      )
  })
  return { handler, dispose, handles, call: caller(handler) }
}

export interface Response {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: any
}

export interface CallOptions {
  readonly json?: unknown
  readonly body?: string
  /** Bearer token; `null` for none. Default: the Acme write token. */
  readonly token?: string | null
  readonly contentType?: string
  readonly headers?: Record<string, string>
}

export const caller = (handler: (request: Request) => Promise<globalThis.Response>) =>
async (method: string, path: string, options: CallOptions = {}): Promise<Response> => {
  const headers: Record<string, string> = { ...options.headers }
  const token = options.token === undefined ? tokens.write : options.token
  if (token !== null) headers["authorization"] = `Bearer ${token}`
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.body
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json"
  const response = await handler(
    new Request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body }) })
  )
  const text = await response.text()
  let json: any = undefined
  try {
    json = text === "" ? undefined : JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: response.status, headers: response.headers, text, json }
}

/** Blocks (or unblocks) an organization in a running world. */
export const setBlocked = (handles: Handles, organization: Organization.Organization, isBlocked: boolean) =>
  Effect.runPromise(handles.store.putOrganization({ ...organization, isBlocked }))
