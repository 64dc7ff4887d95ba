/** The rate-limit contract against the in-memory counters. */
import { RateLimitContract } from "@checkout-kit/domain/testing"
import * as RateLimits from "../src/RateLimits.ts"

RateLimitContract.run("memory", () => RateLimits.layer)
