/** Metadata limits (spec 1.9). */
import { describe, expect, it } from "@effect/vitest"
import * as Metadata from "../src/Metadata.ts"

const LOC = ["body", "metadata"]

describe("Metadata.validate", () => {
  it("accepts strings, integers, floats and booleans within the limits", () => {
    expect(Metadata.validate({ key: "value", n: 1, f: 1.5, b: true }, LOC)).toEqual([])
    expect(Metadata.validate({}, LOC)).toEqual([])
    expect(Metadata.validate({ ["k".repeat(40)]: "v".repeat(500) }, LOC)).toEqual([])
  })

  it("at most 50 keys", () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]))
    expect(Metadata.validate(fifty, LOC)).toEqual([])
    const issues = Metadata.validate({ ...fifty, extra: 1 }, LOC)
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({
      type: "too_long",
      loc: LOC,
      msg: "Dictionary should have at most 50 items after validation, not 51",
      ctx: { max_length: 50, actual_length: 51 }
    })
  })

  it("keys of 1 to 40 characters", () => {
    expect(Metadata.validate({ ["k".repeat(41)]: "v" }, LOC)).toEqual([{
      type: "string_too_long",
      loc: [...LOC, "k".repeat(41), "[key]"],
      msg: "String should have at most 40 characters",
      input: "k".repeat(41),
      ctx: { max_length: 40 }
    }])
    expect(Metadata.validate({ "": "v" }, LOC)[0]).toMatchObject({
      type: "string_too_short",
      msg: "String should have at least 1 character",
      ctx: { min_length: 1 }
    })
  })

  it("string values of 1 to 500 characters; other value types rejected", () => {
    expect(Metadata.validate({ k: "v".repeat(501) }, LOC)[0]).toMatchObject({ type: "string_too_long", loc: [...LOC, "k", "str"] })
    expect(Metadata.validate({ k: "" }, LOC)[0]).toMatchObject({ type: "string_too_short", loc: [...LOC, "k", "str"] })
    expect(Metadata.validate({ a: null, b: [1], c: { x: 1 }, d: Number.NaN }, LOC).map((i) => i.loc)).toEqual([
      [...LOC, "a", "str"],
      [...LOC, "b", "str"],
      [...LOC, "c", "str"],
      [...LOC, "d", "str"]
    ])
  })

  it("not an object -> dict_type", () => {
    expect(Metadata.validate([1], LOC)).toEqual([{ type: "dict_type", loc: LOC, msg: "Input should be a valid dictionary", input: [1] }])
  })
})
