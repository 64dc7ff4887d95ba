/**
 * Ordering as PostgreSQL applies it, so that a list sorted here comes out in the same order as the SQL adapter's
 * `ORDER BY`: NULL sorts above every value (NULLS LAST ascending, NULLS FIRST descending), booleans order false
 * before true, and text compares by code point, which is the `"C"` collation (the SQL adapter must sort text
 * columns with `COLLATE "C"`; a locale collation would order case and accents differently). UUIDs are keyed in
 * lowercase, as PostgreSQL's `uuid` type prints and compares them.
 */

/** The ascending comparison of one column; `descending` is applied by negating it. */
export type Compare<A> = (a: A, b: A) => number

/** Code-point order. JS `<` compares UTF-16 code units, which puts U+E000..U+FFFF above astral characters. */
export const compareText = (a: string, b: string): number => {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      // Surrogates (astral characters) must rank above the rest of the BMP: shift U+D800..U+DFFF past U+FFFF.
      const kx = x >= 0xd800 && x <= 0xdfff ? x + 0x2000 : x >= 0xe000 ? x - 0x800 : x
      const ky = y >= 0xd800 && y <= 0xdfff ? y + 0x2000 : y >= 0xe000 ? y - 0x800 : y
      return kx < ky ? -1 : 1
    }
  }
  return a.length - b.length
}

/** Ascending order of a nullable column: NULL is greater than any value. */
export const nullsLast = <A>(compare: Compare<A>): Compare<A | null> => (a, b) => {
  if (a === null) return b === null ? 0 : 1
  if (b === null) return -1
  return compare(a, b)
}

export const compareBoolean: Compare<boolean> = (a, b) => (a === b ? 0 : a ? 1 : -1)

export const compareNumber: Compare<number> = (a, b) => (a < b ? -1 : a > b ? 1 : 0)

/** The key a UUID is stored and looked up under; PostgreSQL accepts either case and compares the value. */
export const uuidKey = (id: string): string => id.toLowerCase()

export interface Criterion<F extends string> {
  readonly field: F
  readonly descending: boolean
}

/**
 * A total order for `ORDER BY <criteria>, id`: the criteria in turn, then the id as the last tie-breaker in the
 * direction of the last criterion (so that one index on (column, id) scanned forwards or backwards serves a
 * single-column sort, and pages never overlap or skip rows).
 */
export const orderBy = <A, F extends string>(
  criteria: ReadonlyArray<Criterion<F>>,
  columns: { readonly [K in F]: Compare<A> },
  idOf: (a: A) => string
): Compare<A> => {
  const compares = criteria.map((c) => ({ compare: columns[c.field], sign: c.descending ? -1 : 1 }))
  const idSign = criteria.length > 0 && criteria[criteria.length - 1]!.descending ? -1 : 1
  return (a, b) => {
    for (let i = 0; i < compares.length; i++) {
      const c = compares[i]!
      const r = c.compare(a, b)
      if (r !== 0) return r * c.sign
    }
    const ia = uuidKey(idOf(a))
    const ib = uuidKey(idOf(b))
    return ia === ib ? 0 : ia < ib ? -idSign : idSign
  }
}
