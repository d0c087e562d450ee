/** Small DOM helpers: elements by id, checked, so a renamed id fails loudly at start-up. */

/** The element with `id`, which must be an instance of `type`. */
export function byId<T extends Element>(id: string, type: abstract new (...args: never[]) => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(
      `byId: expected #${id} to be a ${type.name}, found ${element ? element.tagName : 'nothing'}`,
    );
  }
  return element;
}

/** Sets an element's text only when it changes (cheap to call on every step). */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
