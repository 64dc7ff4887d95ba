/** The repository contract suite against the in-memory store (the store package runs it too). */
import { MemoryEvents, MemoryStore } from "@checkout-kit/store-memory"
import * as RepositoryContract from "../../../domain/src/testing/RepositoryContract.ts"

RepositoryContract.runRepositoryContract("memory", {
  makeLayer: (fixtures) => MemoryStore.layer(fixtures),
  publishedEvents: MemoryEvents.MemoryEvents.use((events) => events.all)
})
