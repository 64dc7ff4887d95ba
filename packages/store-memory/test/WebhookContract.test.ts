/** The domain's shared webhook storage contract, run against the memory store (store-postgres runs the same suite). */
import { WebhookContract } from "@checkout-kit/domain/testing"
import { MemoryStore } from "../src/index.ts"

WebhookContract.runWebhookContract("memory", { makeLayer: (fixtures) => MemoryStore.layer(fixtures) })
