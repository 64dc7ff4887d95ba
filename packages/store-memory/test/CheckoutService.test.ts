/**
 * The store under the real use cases (the domain's ServiceContract): concurrent confirms of one checkout reach the
 * payment processor once (the row lock), and concurrent confirms of different checkouts sharing a capped discount
 * redeem it exactly up to the cap (the reservation), the others being refused with nothing written.
 */
import { ServiceContract } from "@checkout-kit/domain/testing"
import { MemoryStore } from "../src/index.ts"

ServiceContract.runConcurrentConfirmContract("memory", { makeLayer: (fixtures) => MemoryStore.layerTest(fixtures) })
