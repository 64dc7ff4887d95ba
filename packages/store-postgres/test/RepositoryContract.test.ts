/** The domain's shared repository contract, unchanged, against the PostgreSQL store (a fresh database per test). */
import { RepositoryContract } from "@checkout-kit/domain/testing"
import { PostgresEvents } from "../src/Events.ts"
import * as TestDatabase from "../src/testing/TestDatabase.ts"

RepositoryContract.runRepositoryContract("postgres", {
  makeLayer: (fixtures) => TestDatabase.layerStore(fixtures),
  publishedEvents: PostgresEvents.use((events) => events.all)
})
