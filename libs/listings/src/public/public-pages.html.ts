import { html, raw, type SafeHtml, safeUrl } from './html.util';
import type { PublicCounty, PublicLot } from './public-lots.service';

/** Absolute URLs of the pages, from the buyer app's public origin. */
export interface PageUrls {
  origin: string;
  lot(id: string): string;
  qr(id: string): string;
  /** The lot in the buyer web app, where a buyer signs in and orders. */
  buy(id: string): string;
  county(code: string): string;
  /** A photo URL made absolute (Open Graph wants one). */
  absolute(url: string): string;
}

const KG = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 3 });
const yuan = (fen: number) => (fen / 100).toFixed(2);

// Mobile first: one column, large type and tap targets; a wider screen only centres it. No script, no external files.
const STYLE = raw(`
*{box-sizing:border-box}body{margin:0;font:16px/1.6 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f7f9}
main{max-width:640px;margin:0 auto;padding:16px}h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:16px 0 8px}
.photos{display:flex;gap:8px;overflow-x:auto;scroll-snap-type:x mandatory}.photos img{flex:0 0 100%;width:100%;aspect-ratio:4/3;object-fit:cover;border-radius:8px;scroll-snap-align:start;background:#e5e7eb}
.badge{display:inline-block;padding:0 8px;margin-right:6px;border-radius:4px;font-size:13px;color:#fff;background:#b42318}.badge.poverty{background:#b54708}
.price{font-size:26px;color:#b42318;font-weight:600}.price small{font-size:15px;font-weight:400}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:12px 0}dt{color:#57606a}dd{margin:0}
.buy{display:block;margin:20px 0;padding:14px;text-align:center;font-size:18px;color:#fff;background:#d92d20;border-radius:8px;text-decoration:none}
.lots{list-style:none;padding:0;margin:0}.lots li{margin:0 0 12px;background:#fff;border-radius:8px}.lots a{display:flex;gap:12px;padding:12px;color:inherit;text-decoration:none}
.lots img{width:96px;height:72px;object-fit:cover;border-radius:6px;background:#e5e7eb}.lots .t{font-weight:600}.muted{color:#57606a;font-size:14px}
footer{margin:24px 0;color:#57606a;font-size:13px;text-align:center}
`);

interface Head {
  title: string;
  description: string;
  url?: string;
  image?: string;
  noindex?: boolean;
}

function layout(head: Head, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${head.title}</title>
<meta name="description" content="${head.description}">
${head.noindex ? raw('<meta name="robots" content="noindex">') : html`<meta property="og:type" content="website">
<meta property="og:site_name" content="产销通">
<meta property="og:title" content="${head.title}">
<meta property="og:description" content="${head.description}">
${head.url ? html`<meta property="og:url" content="${head.url}">` : null}
${head.image ? html`<meta property="og:image" content="${head.image}">` : null}`}
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
<footer>产销通 · 助农产销对接平台</footer>
</main>
</body>
</html>
`.value;
}

function badges(county: Pick<PublicCounty, 'isPovertyCounty' | 'isSupervisedCounty'>): SafeHtml {
  return html`${county.isSupervisedCounty ? raw('<span class="badge supervised">督战</span>') : null}${county.isPovertyCounty ? raw('<span class="badge poverty">贫困县</span>') : null}`;
}

function name(lot: PublicLot): string {
  return lot.variety && !lot.title.includes(lot.variety) ? `${lot.title}（${lot.variety}）` : lot.title;
}

/** The page of one lot on the market. */
export function lotPage(lot: PublicLot, urls: PageUrls): string {
  const description = `${lot.county.fullName} · ${yuan(lot.unitPriceFen)} 元/公斤 · 现货 ${KG.format(lot.availableKg)} 公斤 · ${lot.sellerName}`;
  const photo = lot.photos[0];
  const body = html`
<article>
${lot.photos.length ? html`<div class="photos">${lot.photos.map((p, i) => html`<img src="${safeUrl(p.url)}" width="${p.width}" height="${p.height}" alt="${lot.title} 照片 ${i + 1}"${i ? raw(' loading="lazy"') : null}>`)}</div>` : null}
<h1>${name(lot)}</h1>
<p>${badges(lot.county)}${lot.stalled ? raw('<span class="badge">滞销</span>') : null}<span class="muted">${lot.county.fullName}</span></p>
<p class="price">${yuan(lot.unitPriceFen)} <small>元/公斤</small></p>
<dl>
<dt>品种</dt><dd>${lot.variety ?? '—'}</dd>
${lot.categoryName ? html`<dt>品类</dt><dd>${lot.categoryName}</dd>` : null}
${lot.grade ? html`<dt>等级</dt><dd>${lot.grade}</dd>` : null}
<dt>产地</dt><dd>${lot.county.name}</dd>
<dt>现货</dt><dd>${KG.format(lot.availableKg)} 公斤</dd>
<dt>起订量</dt><dd>${KG.format(lot.minOrderKg)} 公斤</dd>
<dt>采收日期</dt><dd>${lot.harvestedOn}</dd>
<dt>最佳食用期至</dt><dd>${lot.bestBefore}</dd>
${lot.coldChain ? raw('<dt>运输</dt><dd>需冷链</dd>') : null}
${lot.certificateNo ? html`<dt>扶贫产品认定</dt><dd>${lot.certificateNo}</dd>` : null}
<dt>卖家</dt><dd>${lot.sellerName}</dd>
</dl>
<a class="buy" href="${safeUrl(urls.buy(lot.id))}">立即购买</a>
<p class="muted"><a href="${safeUrl(urls.county(lot.county.code))}">${lot.county.name}的更多滞销农产品</a></p>
</article>`;
  return layout({ title: `${name(lot)} · ${lot.county.name} · 产销通`, description, url: urls.lot(lot.id), image: photo ? urls.absolute(photo.url) : undefined }, body);
}

/** A county's board: its stalled lots on the market, most urgent first. */
export function countyPage(county: PublicCounty, lots: PublicLot[], urls: PageUrls): string {
  const body = html`
<h1>${county.name}滞销农产品</h1>
<p>${badges(county)}<span class="muted">${county.fullName}</span></p>
${lots.length ? html`<ol class="lots">${lots.map((lot) => html`<li><a href="${safeUrl(urls.lot(lot.id))}">${lot.photos[0] ? html`<img src="${safeUrl(lot.photos[0].thumbUrl)}" alt="" loading="lazy">` : null}<span><span class="t">${name(lot)}</span><br><span class="price">${yuan(lot.unitPriceFen)} <small>元/公斤</small></span><br><span class="muted">现货 ${KG.format(lot.availableKg)} 公斤 · 最佳食用期至 ${lot.bestBefore} · ${lot.sellerName}</span></span></a></li>`)}</ol>` : raw('<p class="muted">目前没有滞销的在售货品。</p>')}`;
  const description = `${county.fullName}：${lots.length} 批滞销农产品在售，帮农户把货卖出去。`;
  const image = lots.find((l) => l.photos.length)?.photos[0];
  return layout({ title: `${county.name}滞销农产品 · 产销通`, description, url: urls.county(county.code), image: image ? urls.absolute(image.url) : undefined }, body);
}

/** The same page for every lot or county that is not shown: unknown, draft, withdrawn, expired, sold out. */
export function notFoundPage(): string {
  return layout({ title: '页面不存在 · 产销通', description: '该货品已下架、售罄或不存在。', noindex: true }, html`
<h1>页面不存在</h1>
<p>该货品已下架、售罄或不存在，或者链接有误。</p>`);
}

export function tooManyRequestsPage(retryAfterSeconds: number): string {
  return layout({ title: '访问过于频繁 · 产销通', description: '访问过于频繁，请稍后再试。', noindex: true }, html`
<h1>访问过于频繁</h1>
<p>请在 ${retryAfterSeconds} 秒后再试。</p>`);
}

export function errorPage(): string {
  return layout({ title: '服务暂时不可用 · 产销通', description: '服务暂时不可用，请稍后再试。', noindex: true }, html`
<h1>服务暂时不可用</h1>
<p>请稍后再试。</p>`);
}
