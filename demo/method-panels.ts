// Renders one panel per method: labelled inputs, a Run button, and a result area.
import { announceChange } from "./changes.ts"
import { cache } from "./current-cache.ts"
import { h } from "./dom.ts"
import { attempt, showOutcome } from "./format.ts"
import { argumentsOf, type FieldName, fieldSpecs, type MethodSpec, methodSpecs } from "./method-specs.ts"

function field(
  spec: MethodSpec,
  name: FieldName,
  initial: string,
): [HTMLElement, HTMLInputElement | HTMLTextAreaElement] {
  const { label, hint, placeholder, multiline, wide } = fieldSpecs[name]
  const id = `m-${spec.method}-${name}`
  const attributes = {
    id,
    name,
    placeholder,
    "aria-describedby": hint ? `${id}-hint` : undefined,
    spellcheck: "false",
    autocomplete: "off",
  }
  const input = multiline ? h("textarea", { ...attributes, rows: 2 }) : h("input", { ...attributes, type: "text" })
  input.value = initial
  const wrapper = h(
    "div",
    { class: wide ? "field wide" : "field" },
    h("label", { for: id }, label),
    input,
    hint ? h("small", { id: `${id}-hint`, class: "hint" }, hint) : null,
  )
  return [wrapper, input]
}

function panel(spec: MethodSpec): HTMLElement {
  const inputs = new Map<FieldName, HTMLInputElement | HTMLTextAreaElement>()
  const fields = spec.fields.map(([name, initial]) => {
    const [wrapper, input] = field(spec, name, initial)
    inputs.set(name, input)
    return wrapper
  })
  const titleId = `m-${spec.method}-title`
  const output = h("output", { class: "result", "data-state": "idle", "data-runs": "0", "aria-live": "polite" })
  output.textContent = "Not run yet"
  const form = h(
    "form",
    { class: "fields", "aria-labelledby": titleId },
    ...fields,
    h("button", { type: "submit", class: "run" }, "Run"),
  )
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    output.dataset.state = "running"
    const args = argumentsOf((name) => inputs.get(name)?.value ?? "")
    showOutcome(output, await attempt(() => spec.run(cache(), args)))
    announceChange()
  })
  return h(
    "section",
    { class: "panel", "data-method": spec.method, "aria-labelledby": titleId },
    h("h3", { id: titleId }, h("code", {}, `cache.${spec.method}`)),
    h("code", { class: "params" }, spec.params),
    h("p", { class: "about" }, spec.about),
    form,
    output,
  )
}

/** Puts a panel for every method of Cache into the containers: those without arguments go to `small`. */
export function renderMethodPanels(container: HTMLElement, small: HTMLElement): void {
  container.replaceChildren(...methodSpecs.filter((spec) => spec.fields.length).map(panel))
  small.replaceChildren(...methodSpecs.filter((spec) => !spec.fields.length).map(panel))
}
