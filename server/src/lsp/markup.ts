// Text conversions for clients that cannot render markdown or expand snippets.

/** Markdown as plain text, for clients that cannot render it: emphasis, code marks and link syntax removed. */
export function plainText(md: string): string {
  return md
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)');
}

/** `${1:text}` → text, `$0` / `${1}` → nothing: for clients without snippet support. */
export function plainSnippet(s: string): string {
  return s.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
}
