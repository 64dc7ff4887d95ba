/** The domain's shared repository contract, run against the memory store (the SQL adapter runs the same suite). */
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { MemoryEvents, MemoryStore } from "../src/index.ts"

RepositoryContract.runRepositoryContract("memory", {
  makeLayer: (fixtures) => MemoryStore.layer(fixtures),
  publishedEvents: MemoryEvents.MemoryEvents.use((events) => events.all)
})
