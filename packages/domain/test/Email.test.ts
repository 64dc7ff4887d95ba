/**
 * E-mail syntax and lengths as pydantic's `EmailStr` (email-validator) checks them: properties at the boundaries of
 * the local part (64), a domain label (63) and the whole address (254), with email-validator's messages.
 */
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import * as Email from "../src/Email.ts"
import * as Issue from "../src/Issue.ts"

const letters = (n: number, c = "a") => c.repeat(n)
const tooMany = (diff: number) => `(${diff} character${diff > 1 ? "s" : ""} too many)`

/** A domain of `labels` labels of the given lengths, ending in a 3-letter top-level label. */
const domainOf = (labels: ReadonlyArray<number>) => [...labels.map((n) => letters(n, "d")), "com"].join(".")

describe("Email.problem", () => {
  it("accepts ordinary addresses and refuses the syntax the reference refuses, with its messages", () => {
    expect(Email.problem("ada@example.com")).toBeUndefined()
    expect(Email.problem("Ada.Lovelace+tag@sub.example.co.uk")).toBeUndefined()
    expect(Email.problem("nope")).toBe("An email address must have an @-sign.")
    expect(Email.problem("a@b@c.com")).toBe("The email address is not valid. It must have exactly one @-sign.")
    expect(Email.problem("@example.com")).toBe("There must be something before the @-sign.")
    expect(Email.problem("ada@")).toBe("There must be something after the @-sign.")
    expect(Email.problem("ada@localhost")).toBe("The part after the @-sign is not valid. It should have a period.")
    expect(Email.problem("a b@example.com")).toBe("The email address contains invalid characters.")
  })

  it("the exact boundaries: local 64, label 63, whole 254 pass; one more is refused", () => {
    expect(Email.problem(`${letters(64)}@example.com`)).toBeUndefined()
    expect(Email.problem(`${letters(65)}@example.com`)).toBe("The email address is too long before the @-sign (1 character too many).")
    expect(Email.problem(`a@${domainOf([63])}`)).toBeUndefined()
    expect(Email.problem(`a@${domainOf([64])}`)).toBe(
      "After the @-sign, periods cannot be separated by so many characters (1 character too many)."
    )
    // 64 + 1 + 189 = 254: local 64, domain 3 labels of 61 + ".com" (61*3 + 2 + 4 = 189).
    const at254 = `${letters(64)}@${domainOf([61, 61, 61])}`
    expect(at254.length).toBe(254)
    expect(Email.problem(at254)).toBeUndefined()
    expect(Email.problem(`${letters(64)}@${domainOf([62, 61, 61])}`)).toBe("The email address is too long (1 character too many).")
    expect(Email.problem(`a@${domainOf([63, 63, 63, 60])}`)).toBe(
      "The email address is too long after the @-sign (1 character too many)."
    )
  })

  it("local part: accepted iff at most 64 characters, else 'too long before the @-sign (N too many)'", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        const reason = Email.problem(`${letters(n)}@example.com`)
        if (n <= Email.LOCAL_PART_MAX_LENGTH) expect(reason).toBeUndefined()
        else expect(reason).toBe(`The email address is too long before the @-sign ${tooMany(n - 64)}.`)
      }),
      { numRuns: 200 }
    )
  })

  it("domain labels: each accepted iff at most 63 characters, the first too long one is reported", () => {
    fc.assert(
      // Domains over 255 characters are refused for their total length first (the next test's subject), so the
      // generated labels stay within it.
      fc.property(fc.array(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 3 })
        .filter((labels) => domainOf(labels).length <= 255), (labels) => {
        const address = `a@${domainOf(labels)}`
        const reason = Email.problem(address)
        const first = labels.find((n) => n > Email.DNS_LABEL_MAX_LENGTH)
        if (first === undefined) expect(reason).toBeUndefined()
        else expect(reason).toBe(`After the @-sign, periods cannot be separated by so many characters ${tooMany(first - 63)}.`)
      }),
      { numRuns: 200 }
    )
  })

  it("a domain over 255 characters is refused for its length before any label is judged", () => {
    const labels = [86, 81, 83] // 256 characters with ".com": every label too long too
    expect(Email.problem(`a@${domainOf(labels)}`)).toBe(`The email address is too long after the @-sign ${tooMany(1)}.`)
  })

  it("whole address: with valid parts, accepted iff at most 254 characters", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 1, max: 63 }), { minLength: 1, maxLength: 4 }),
        (local, labels) => {
          const address = `${letters(local)}@${domainOf(labels)}`
          const reason = Email.problem(address)
          if (address.length <= Email.EMAIL_MAX_LENGTH) expect(reason).toBeUndefined()
          else if (address.length - local - 1 > Email.DOMAIN_MAX_LENGTH) expect(reason).toMatch(/too long after the @-sign/u)
          else expect(reason).toBe(`The email address is too long ${tooMany(address.length - 254)}.`)
        }
      ),
      { numRuns: 300 }
    )
  })

  it("validate: an InvalidEmail issue carrying email-validator's reason and the input, at the given path", () => {
    const long = `${letters(65)}@example.com`
    const r = Email.validate(long, ["customerEmail"])
    expect(Result.isFailure(r) && r.failure).toEqual(
      Issue.make(
        ["customerEmail"],
        Issue.Reason.InvalidEmail({ reason: "The email address is too long before the @-sign (1 character too many)." }),
        long
      )
    )
    expect(Email.validate("ada@example.com", ["x"])).toEqual(Result.succeed("ada@example.com"))
  })
})
