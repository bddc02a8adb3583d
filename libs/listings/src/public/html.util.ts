/** Markup that is already safe to put into a page: only {@link html} and {@link raw} make one. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Trusted markup, inserted as is: for constants written in this code, never for data. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * A tagged template that escapes every interpolated value unless it is {@link SafeHtml}: a string, number or date
 * becomes escaped text, an array is each item in turn, `null`, `undefined` and `false` are nothing. So
 * html`<p>${title}</p>` can never let a lot's title open a tag or an attribute.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** A URL for an `href` or `src`: only http(s) or a same-site path, anything else (`javascript:`) becomes `#`. */
export function safeUrl(url: string): string {
  return /^(https?:\/\/|\/(?!\/))/i.test(url) ? url : '#';
}
