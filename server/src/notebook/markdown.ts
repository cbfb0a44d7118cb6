// Markdown → HTML for the prose cells of an exported report, with markdown-it (CommonMark plus tables and
// strikethrough). Safe by configuration: raw HTML in the Markdown is shown as text, never interpreted; links
// keep only http(s), mailto and in-page (#) targets and open with rel="noopener noreferrer"; images are not
// rendered (a report must not fetch anything when opened), their Markdown shows as a link instead.
import MarkdownIt from 'markdown-it';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

type Renderer = InstanceType<typeof MarkdownIt>;

const SAFE_LINK = /^(https?:|mailto:|#)/i;

function createRenderer(): Renderer {
  const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
  md.disable('image');
  // markdown-it already refuses javascript:, vbscript:, file: and data: URLs; this narrows links further.
  md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    tokens[idx]!.attrSet('rel', 'noopener noreferrer');
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

let renderer: Renderer | undefined;

export function markdownToHtml(md: string): string {
  renderer ??= createRenderer();
  return renderer.render(md).trimEnd();
}
