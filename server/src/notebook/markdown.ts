// A small, safe Markdown → HTML converter for the prose cells of an exported report: headings, paragraphs,
// bullet and numbered lists, block quotes, fenced code, rules, **bold**, *italic*, `code` and http(s) links.
// Everything is escaped first; raw HTML in the Markdown is shown as text, never interpreted.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Inline formatting of one escaped line. Code spans are cut out first so nothing inside them is formatted. */
function inline(raw: string): string {
  const codes: string[] = [];
  // \u0000 and \u0001 mark where code spans and links go back in; they are removed from the input first.
  // eslint-disable-next-line no-control-regex
  let text = raw.replace(/[\u0000\u0001]/g, '').replace(/`([^`]+)`/g, (_m, c: string) => {
    codes.push(`<code>${escapeHtml(c)}</code>`);
    return `\u0000${codes.length - 1}\u0000`;
  });
  const links: string[] = [];
  text = text.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) => {
    links.push(`<a href="${escapeHtml(url)}" rel="noopener noreferrer">${escapeHtml(label)}</a>`);
    return `\u0001${links.length - 1}\u0001`;
  });
  text = escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>');
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u0001(\d+)\u0001/g, (_m, i: string) => links[Number(i)]!).replace(/\u0000(\d+)\u0000/g, (_m, i: string) => codes[Number(i)]!);
}

type Block = { tag: 'p' | 'ul' | 'ol' | 'blockquote'; lines: string[] };

function closeBlock(b: Block | undefined, out: string[]): void {
  if (!b || !b.lines.length) return;
  if (b.tag === 'ul' || b.tag === 'ol') out.push(`<${b.tag}>${b.lines.map((l) => `<li>${inline(l)}</li>`).join('')}</${b.tag}>`);
  else out.push(`<${b.tag}>${b.lines.map(inline).join('<br>\n')}</${b.tag}>`);
}

export function markdownToHtml(md: string): string {
  const out: string[] = [];
  let block: Block | undefined;
  let fence: string[] | undefined;
  const start = (tag: Block['tag'], line: string): void => {
    if (block?.tag !== tag) {
      closeBlock(block, out);
      block = { tag, lines: [] };
    }
    block.lines.push(line);
  };
  for (const line of md.split(/\r\n|\r|\n/)) {
    if (fence) {
      if (/^\s*```/.test(line)) {
        out.push(`<pre><code>${escapeHtml(fence.join('\n'))}</code></pre>`);
        fence = undefined;
      } else fence.push(line);
      continue;
    }
    let m: RegExpExecArray | null;
    if (/^\s*```/.test(line)) {
      closeBlock(block, out);
      block = undefined;
      fence = [];
    } else if ((m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line))) {
      closeBlock(block, out);
      block = undefined;
      out.push(`<h${m[1]!.length}>${inline(m[2]!)}</h${m[1]!.length}>`);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      closeBlock(block, out);
      block = undefined;
      out.push('<hr>');
    } else if ((m = /^\s*[-*+]\s+(.*)$/.exec(line))) start('ul', m[1]!);
    else if ((m = /^\s*\d+[.)]\s+(.*)$/.exec(line))) start('ol', m[1]!);
    else if ((m = /^\s*>\s?(.*)$/.exec(line))) start('blockquote', m[1]!);
    else if (line.trim() === '') {
      closeBlock(block, out);
      block = undefined;
    } else if (block && (block.tag === 'ul' || block.tag === 'ol') && /^\s+/.test(line)) block.lines[block.lines.length - 1] += ` ${line.trim()}`;
    else start('p', line.trim());
  }
  if (fence) out.push(`<pre><code>${escapeHtml(fence.join('\n'))}</code></pre>`);
  closeBlock(block, out);
  return out.join('\n');
}
