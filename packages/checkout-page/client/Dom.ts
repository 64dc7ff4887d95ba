/** A tiny element builder: the page creates every node with it, so no HTML string is ever parsed from data. */
type Child = Node | string | null | undefined | false
type Attrs = Readonly<Record<string, string | number | boolean | null | undefined>>

export const h = (tag: string, attrs: Attrs = {}, ...children: ReadonlyArray<Child | ReadonlyArray<Child>>) => {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue
    el.setAttribute(name, value === true ? "" : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    el.append(child)
  }
  return el
}

/** The id of a field's input and of its error line, from a 422 `loc` path after "body". */
export const fieldId = (key: string) => `field-${key.replace(/[^a-zA-Z0-9_-]/gu, "-")}`
export const errorId = (key: string) => `error-${key.replace(/[^a-zA-Z0-9_-]/gu, "-")}`

/** The error line under a field: empty until the server (or the page) names the field. */
export const errorLine = (key: string, message: string | undefined) =>
  h("p", { id: errorId(key), class: "field-error", hidden: message === undefined }, message ?? "")

/** A labelled input with its error line; `describedBy` links the error so screen readers read it with the field. */
export const field = (
  key: string,
  label: string,
  input: HTMLElement,
  error: string | undefined,
  help?: string
) => {
  input.id = fieldId(key)
  input.setAttribute("name", key)
  const described = [errorId(key), help === undefined ? null : `${fieldId(key)}-help`].filter((x) => x !== null)
  input.setAttribute("aria-describedby", described.join(" "))
  if (error !== undefined) input.setAttribute("aria-invalid", "true")
  return h(
    "div",
    { class: "field" },
    h("label", { for: fieldId(key) }, label),
    help === undefined ? null : h("p", { id: `${fieldId(key)}-help`, class: "help" }, help),
    input,
    errorLine(key, error)
  )
}
