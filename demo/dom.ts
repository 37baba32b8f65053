// Two small helpers, so that building the page stays readable without a framework.

type Attributes = Record<string, string | number | boolean | null | undefined>
type Child = Node | string | null | undefined | false

/** Creates an element: `false`, `null` and `undefined` attributes and children are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue
    element.setAttribute(name, value === true ? "" : String(value))
  }
  element.append(
    ...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false),
  )
  return element
}

/** The element of index.html with this id: a missing or mistyped one is a bug of the demo, so it throws. */
export function byId<T extends HTMLElement>(id: string, type: abstract new () => T): T {
  const element = document.getElementById(id)
  if (!(element instanceof type)) throw new Error(`#${id} is missing from index.html or is not a ${type.name}`)
  return element
}
