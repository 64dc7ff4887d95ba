/**
 * How the seed converters report problems: every problem is an issue at a path inside the document (e.g.
 * `products[2].prices[0].price_amount`), collected rather than thrown, so that one run lists them all and a seed
 * with any problem loads nothing. Ids are compared case-insensitively (`key`), as the stores do.
 */

export interface SeedIssue {
  /** Where in the document, e.g. `products[2].prices[0].price_amount`. */
  readonly path: string
  readonly message: string
}

/** An id as the stores key it (UUIDs are case-insensitive). */
export const key = (id: string): string => id.toLowerCase()

export interface Issues {
  readonly list: ReadonlyArray<SeedIssue>
  readonly problem: (path: string, message: string) => void
  /** Records the id as used at `path`; reports a duplicate. */
  readonly unique: (id: string, path: string) => void
}

export const make = (): Issues => {
  const list: Array<SeedIssue> = []
  const problem = (path: string, message: string) => {
    list.push({ path, message })
  }
  const seen = new Map<string, string>()
  const unique = (id: string, path: string) => {
    const first = seen.get(key(id))
    if (first !== undefined) problem(path, `Expected a unique id, ${id} is already used at ${first}`)
    else seen.set(key(id), path)
  }
  return { list, problem, unique }
}
