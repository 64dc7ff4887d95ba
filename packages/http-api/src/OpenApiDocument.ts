/**
 * The OpenAPI 3.1 document of the contract, as committed in `packages/http-api/openapi.json`. Generated from `Api`
 * (never edited by hand) so that the published contract and the served one cannot drift apart; a test compares the
 * two and `scripts/generate-openapi.ts` rewrites the file.
 */
import { OpenApi } from "effect/http-api"
import { Api } from "./Api.ts"

/** The command that regenerates the committed file (run from the repository root). */
export const regenerateCommand = "pnpm --filter @checkout-kit/http-api run openapi"

export const make = (): OpenApi.OpenAPISpec => OpenApi.fromApi(Api)

/** The committed file's exact text: two-space JSON and a final newline. */
export const render = (): string => `${JSON.stringify(make(), null, 2)}\n`
