/** The domain's shared webhook storage contract, unchanged, against the PostgreSQL store (a fresh database per test). */
import { WebhookContract } from "@checkout-kit/domain/testing"
import * as TestDatabase from "../src/testing/TestDatabase.ts"

WebhookContract.runWebhookContract("postgres", { makeLayer: (fixtures) => TestDatabase.layerStore(fixtures) })
