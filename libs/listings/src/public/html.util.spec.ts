import { escapeHtml, html, raw, safeUrl } from './html.util';

describe('the public pages’ HTML template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const title = `<img src=x onerror="alert(1)">'&`;
    expect(html`<p title="${title}">${title}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;</p>',
    );
    expect(escapeHtml('"</script>')).toBe('&quot;&lt;/script&gt;');
  });

  it('keeps markup it built itself, renders arrays in turn and leaves out null, undefined and false', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${raw('<hr>')}${0}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>0');
  });

  it('lets only http(s) and same-site paths into href and src', () => {
    expect(safeUrl('https://buy.example.cn/l/1')).toBe('https://buy.example.cn/l/1');
    expect(safeUrl('/media/photos/k.webp')).toBe('/media/photos/k.webp');
    for (const bad of ['javascript:alert(1)', '//evil.example/x', 'data:text/html,x', ' JAVASCRIPT:x']) expect(safeUrl(bad)).toBe('#');
  });
});
