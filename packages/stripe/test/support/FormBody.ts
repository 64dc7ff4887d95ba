/**
 * Stripe's v1 request encoding, read back: `application/x-www-form-urlencoded` pairs whose keys use bracket notation
 * for nesting (`metadata[checkout_id]=c1`, `expand[0]=payment_method`, `expand[]=x`). The fake server parses bodies
 * and query strings with this so the real SDK's encoder is exercised end to end. Values stay strings here: only the
 * endpoint's parameter spec knows whether `"123"` is an integer or a metadata value.
 */

/** A parsed value: a string leaf, a nested object, or an array (bracket keys `[0]`, `[1]`… or `[]`). */
export type Value = string | Obj | ReadonlyArray<Value>
export interface Obj {
  readonly [key: string]: Value
}

/** Why a body could not be read as a nested parameter object (shown to the caller as Stripe's 400). */
export interface ParseFailure {
  readonly param: string
  readonly message: string
}

interface Node {
  value: string | undefined
  children: Map<string, Node> | undefined
  pushes: number
}

const newNode = (): Node => ({ value: undefined, children: undefined, pushes: 0 })

const decode = (s: string): string => decodeURIComponent(s.replace(/\+/gu, " "))

/** Splits `a[b][0][]` into `["a", "b", "0", ""]`; `undefined` when the brackets are malformed. */
const splitKey = (key: string): ReadonlyArray<string> | undefined => {
  const open = key.indexOf("[")
  if (open === -1) return [key]
  const head = key.slice(0, open)
  if (head === "") return undefined
  const parts = [head]
  let rest = key.slice(open)
  while (rest.length > 0) {
    if (!rest.startsWith("[")) return undefined
    const close = rest.indexOf("]")
    if (close === -1) return undefined
    parts.push(rest.slice(1, close))
    rest = rest.slice(close + 1)
  }
  return parts
}

const render = (path: ReadonlyArray<string>): string =>
  path.length === 0 ? "" : path[0] + path.slice(1).map((p) => `[${p}]`).join("")

const materialise = (node: Node, isRoot = false): Value => {
  if (node.children === undefined) return node.value ?? ""
  const keys = [...node.children.keys()]
  const isArray = !isRoot && keys.length > 0 && keys.every((k, i) => k === String(i))
  if (isArray) return keys.map((k) => materialise(node.children!.get(k)!))
  const out: Record<string, Value> = {}
  for (const [k, child] of node.children) out[k] = materialise(child)
  return out
}

/**
 * Parses a form body (or a query string without its `?`) into a nested object. A key used both as a leaf and as a
 * parent (`a=1&a[b]=2`) is rejected, as Stripe does, rather than silently dropping one of them.
 */
export const parse = (body: string): { readonly _tag: "Ok"; readonly value: Obj } | {
  readonly _tag: "Failure"
  readonly failure: ParseFailure
} => {
  const root = newNode()
  root.children = new Map()
  if (body.length > 0) {
    for (const pair of body.split("&")) {
      if (pair === "") continue
      const eq = pair.indexOf("=")
      let rawKey: string
      let rawValue: string
      try {
        rawKey = decode(eq === -1 ? pair : pair.slice(0, eq))
        rawValue = decode(eq === -1 ? "" : pair.slice(eq + 1))
      } catch {
        return { _tag: "Failure", failure: { param: pair, message: `Invalid URL encoding: ${pair}` } }
      }
      const path = splitKey(rawKey)
      if (path === undefined) {
        return { _tag: "Failure", failure: { param: rawKey, message: `Invalid parameter name: ${rawKey}` } }
      }
      let node = root
      const walked: Array<string> = []
      for (let i = 0; i < path.length; i++) {
        let segment = path[i]!
        if (segment === "") segment = String(node.pushes++)
        walked.push(segment)
        if (node.value !== undefined) {
          return {
            _tag: "Failure",
            failure: { param: render(walked.slice(0, -1)), message: `Invalid object: ${render(walked.slice(0, -1))}` }
          }
        }
        node.children ??= new Map()
        let child = node.children.get(segment)
        if (child === undefined) {
          child = newNode()
          node.children.set(segment, child)
        }
        node = child
      }
      if (node.children !== undefined || node.value !== undefined) {
        return { _tag: "Failure", failure: { param: render(walked), message: `Invalid parameter: ${render(walked)}` } }
      }
      node.value = rawValue
    }
  }
  return { _tag: "Ok", value: materialise(root, true) as Obj }
}

/** Renders a parameter path the way Stripe names it in errors: `customer_details[address][country]`. */
export const paramName = render
