import { expect, it } from "@effect/vitest"
import * as Mod from "../src/index.ts"

it("module loads", () => { expect(typeof Mod).toBe("object") })
