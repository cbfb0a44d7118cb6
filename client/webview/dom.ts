// The one DOM helper the results view builds its elements with (no innerHTML anywhere): shared by the
// panel (main.ts), the table and the header, so the notebook renderer bundles a single copy.

/** A new `tag` element with the given attributes (`class` sets className) and, when given, its text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}
