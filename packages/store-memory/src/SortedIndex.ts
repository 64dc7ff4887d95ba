/**
 * A secondary index: rows ordered by (numeric column, key), like a B-tree on `(created_at, id)`. Three packed
 * arrays (the column as doubles, the key, the row) cost 24 bytes per row and no per-row object, and a scan reads
 * rows directly instead of looking each one up by id (a hash probe per row is several times slower at a million
 * rows). Rows arrive mostly in column order (created_at = now), so inserting is usually an append; out-of-order
 * inserts and removals binary-search and splice, a memmove that stays cheap at a million rows.
 */

export class SortedIndex<A> {
  readonly values: Array<number> = []
  readonly keys: Array<string> = []
  readonly rows: Array<A> = []

  get size(): number {
    return this.keys.length
  }

  /** First position whose (value, key) is >= the given pair. */
  lowerBound(value: number, key: string): number {
    let lo = 0
    let hi = this.keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const v = this.values[mid]!
      if (v < value || (v === value && this.keys[mid]! < key)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** First position whose value is > `value` (every entry with this value or less comes before it). */
  upperBoundValue(value: number): number {
    let lo = 0
    let hi = this.values.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.values[mid]! <= value) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  insert(value: number, key: string, row: A): void {
    const n = this.keys.length
    if (n === 0 || this.values[n - 1]! < value || (this.values[n - 1] === value && this.keys[n - 1]! < key)) {
      this.values.push(value)
      this.keys.push(key)
      this.rows.push(row)
      return
    }
    const at = this.lowerBound(value, key)
    if (this.keys[at] === key && this.values[at] === value) {
      this.rows[at] = row
      return
    }
    this.values.splice(at, 0, value)
    this.keys.splice(at, 0, key)
    this.rows.splice(at, 0, row)
  }

  /** Points the entry (value, key) at a new version of its row. */
  replace(value: number, key: string, row: A): void {
    const at = this.lowerBound(value, key)
    if (this.keys[at] === key && this.values[at] === value) this.rows[at] = row
  }

  remove(value: number, key: string): void {
    const at = this.lowerBound(value, key)
    if (this.keys[at] === key && this.values[at] === value) {
      this.values.splice(at, 1)
      this.keys.splice(at, 1)
      this.rows.splice(at, 1)
    }
  }

  /**
   * Keeps, among the first `upTo` entries, those for which `keep` returns a row (stored as the entry's row), and
   * closes the gap with one move of the rest: a batch removal for indexes that drop entries lazily.
   */
  retainPrefix(upTo: number, keep: (key: string, value: number) => A | undefined): void {
    let w = 0
    for (let i = 0; i < upTo; i++) {
      const row = keep(this.keys[i]!, this.values[i]!)
      if (row === undefined) continue
      this.values[w] = this.values[i]!
      this.keys[w] = this.keys[i]!
      this.rows[w] = row
      w++
    }
    if (w === upTo) return
    const length = this.keys.length - (upTo - w)
    this.values.copyWithin(w, upTo)
    this.keys.copyWithin(w, upTo)
    this.rows.copyWithin(w, upTo)
    this.values.length = length
    this.keys.length = length
    this.rows.length = length
  }
}
