/** Metadata limits (spec 1.9). */
import { describe, expect, it } from "@effect/vitest"
import * as Issue from "../src/Issue.ts"
import * as Metadata from "../src/Metadata.ts"

const LOC = ["metadata"]

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
    expect(issues[0]).toMatchObject({ path: LOC, reason: Issue.Reason.TooManyKeys({ max: 50, actual: 51 }) })
  })

  it("keys of 1 to 40 characters", () => {
    expect(Metadata.validate({ ["k".repeat(41)]: "v" }, LOC)).toEqual([
      Issue.make([...LOC, "k".repeat(41)], Issue.Reason.MetadataKeyTooLong({ max: 40 }), "k".repeat(41))
    ])
    expect(Metadata.validate({ "": "v" }, LOC)[0]).toMatchObject({ path: [...LOC, ""], reason: Issue.Reason.MetadataKeyTooShort({ min: 1 }) })
  })

  it("string values of 1 to 500 characters; other value types rejected", () => {
    expect(Metadata.validate({ k: "v".repeat(501) }, LOC)[0]).toMatchObject({ reason: Issue.Reason.StringTooLong({ max: 500 }), path: [...LOC, "k"] })
    expect(Metadata.validate({ k: "" }, LOC)[0]).toMatchObject({ reason: Issue.Reason.StringTooShort({ min: 1 }), path: [...LOC, "k"] })
    expect(Metadata.validate({ a: null, b: [1], c: { x: 1 }, d: Number.NaN }, LOC).map((i) => [i.path, i.reason._tag])).toEqual([
      [[...LOC, "a"], "StringType"],
      [[...LOC, "b"], "StringType"],
      [[...LOC, "c"], "StringType"],
      [[...LOC, "d"], "StringType"]
    ])
  })

  it("not an object -> DictType", () => {
    expect(Metadata.validate([1], LOC)).toEqual([Issue.make(LOC, Issue.Reason.DictType(), [1])])
  })
})
