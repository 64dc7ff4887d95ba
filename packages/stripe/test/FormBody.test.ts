/** Reading Stripe's bracketed form encoding back into nested parameters (the fake server's parser). */
import { describe, expect, it } from "@effect/vitest"
import * as FormBody from "./support/FormBody.ts"

const parsed = (body: string) => {
  const result = FormBody.parse(body)
  if (result._tag === "Failure") throw new Error(result.failure.message)
  return result.value
}

describe("FormBody.parse", () => {
  it("nests bracket keys and turns indexed keys into arrays", () => {
    expect(parsed("a[b][0][c]=1&a[b][1][c]=2&metadata[checkout_id]=co_1&confirm=true")).toEqual({
      a: { b: [{ c: "1" }, { c: "2" }] },
      metadata: { checkout_id: "co_1" },
      confirm: "true"
    })
  })

  it("appends empty brackets and decodes encoded brackets, %-escapes and +", () => {
    expect(parsed("expand[]=payment_method&expand[]=customer&metadata%5Bnote%5D=a%20b+c")).toEqual({
      expand: ["payment_method", "customer"],
      metadata: { note: "a b c" }
    })
  })

  it("keeps empty values (Stripe's unset) and an empty body", () => {
    expect(parsed("description=&name")).toEqual({ description: "", name: "" })
    expect(parsed("")).toEqual({})
  })

  it("keeps numeric top-level keys as an object, not an array", () => {
    expect(parsed("0=a&1=b")).toEqual({ "0": "a", "1": "b" })
  })

  it("rejects a key used both as a value and as an object, and malformed brackets", () => {
    expect(FormBody.parse("a=1&a[b]=2")._tag).toBe("Failure")
    expect(FormBody.parse("a[b]=2&a=1")._tag).toBe("Failure")
    expect(FormBody.parse("a[b=1")._tag).toBe("Failure")
    expect(FormBody.parse("a=%E0%A4%A")._tag).toBe("Failure")
  })
})
