// The one way the panel creates elements: tag, class and text, never markup.

export function element<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(doc: Document, label: string, className: string, onClick: () => void): HTMLButtonElement {
  const node = element(doc, 'button', className, label);
  node.type = 'button';
  node.addEventListener('click', onClick);
  return node;
}

/**
 * An element for text from someone else (a name, a path, a message): dir="auto" makes it its own
 * bidi run, like <bdi>, so right-to-left or override characters in it cannot reorder what surrounds it.
 */
export function isolate<T extends HTMLElement>(node: T): T {
  node.dir = 'auto';
  return node;
}
