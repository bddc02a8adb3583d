import './style.css';
import { ApiError, download, getJson, login, session } from './api';
import { drawCategories, drawCounties, drawTrend, resizeCharts } from './charts';
import { formatInt, formatKg, formatRate, formatYuan, previousMonthOf } from './format';
import type { AssistanceDashboard, AtRiskLot, CategoryRow, CountyRow, Figures, Items, Summary, TrendPoint } from './types';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const FIGURES: { key: keyof Figures; label: string; unit: string; format: (v: never) => string }[] = [
  { key: 'listedKg', label: '上架量', unit: '公斤', format: formatKg },
  { key: 'stalledKg', label: '其中滞销', unit: '公斤', format: formatKg },
  { key: 'soldKg', label: '销售量', unit: '公斤', format: formatKg },
  { key: 'soldFen', label: '销售额', unit: '元', format: formatYuan },
  { key: 'orders', label: '订单数', unit: '单', format: formatInt },
  { key: 'buyers', label: '采购方', unit: '家', format: formatInt },
  { key: 'sellThroughRate', label: '产销率', unit: '', format: formatRate },
];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const chinaToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

function showLogin(message = ''): void {
  session.token = null;
  $('app-view').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = message;
}

async function showApp(): Promise<void> {
  $('login-view').hidden = true;
  $('app-view').hidden = false;
  const today = chinaToday();
  const from = $<HTMLInputElement>('from');
  const to = $<HTMLInputElement>('to');
  // From the first day of last month: a full month and the current one so far.
  if (!from.value) from.value = `${previousMonthOf(today)}-01`;
  if (!to.value) to.value = today;
  const month = $<HTMLInputElement>('report-month');
  if (!month.value) month.value = previousMonthOf(today);
  const me = await getJson<{ user: { name: string }; organization: { name: string } }>('/me');
  $('user-name').textContent = `${me.organization.name} · ${me.user.name}`;
  await load();
}

async function load(): Promise<void> {
  const params = new URLSearchParams({ from: $<HTMLInputElement>('from').value, to: $<HTMLInputElement>('to').value });
  document.body.dataset.loading = 'true';
  try {
    const [summary, counties, categories, trend, atRisk, assistance] = await Promise.all([
      getJson<Summary>(`/dashboard/summary?${params}`),
      getJson<Items<CountyRow>>(`/dashboard/counties?${params}`),
      getJson<Items<CategoryRow>>(`/dashboard/categories?${params}`),
      getJson<Items<TrendPoint>>('/dashboard/trend?months=12'),
      getJson<Items<AtRiskLot>>('/listings/at-risk?limit=50'),
      getJson<AssistanceDashboard>(`/dashboard/assistance?${params}`),
    ]);
    $('region-name').textContent = `${summary.regionName}（${summary.regionCode}）`;
    renderSummary(summary);
    drawCounties(counties.items);
    drawCategories(categories.items);
    drawTrend(trend.items);
    renderAtRisk(atRisk.items);
    renderAssistance(assistance);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showLogin('登录已过期，请重新登录');
    else alert((error as Error).message);
  } finally {
    delete document.body.dataset.loading;
  }
}

function renderSummary(summary: Summary): void {
  $('summary').innerHTML = FIGURES.map(({ key, label, unit, format }) => {
    const now = summary.current[key];
    const before = summary.previous[key];
    let delta = '';
    if (typeof now === 'number' && typeof before === 'number' && before > 0) {
      const change = (now - before) / before;
      delta = `<span class="delta ${change >= 0 ? 'up' : 'down'}">${change >= 0 ? '↑' : '↓'}${Math.abs(change * 100).toFixed(1)}%</span>`;
    }
    return `<div class="card figure" data-figure="${key}">
      <div class="label">${label}</div>
      <div class="value"><span class="number">${format(now as never)}</span><span class="unit">${unit}</span></div>
      <div class="muted">上期 <span class="previous">${format(before as never)}</span> ${delta}</div>
    </div>`;
  }).join('');
}

function renderAtRisk(lots: AtRiskLot[]): void {
  $('at-risk-empty').hidden = lots.length > 0;
  document.querySelector('#at-risk tbody')!.innerHTML = lots.map((lot) => `<tr data-lot="${lot.id}">
    <td>${lot.isSupervisedCounty ? '<span class="tag supervised">督战</span>' : ''}${escape(lot.countyName)}</td>
    <td>${escape(lot.title)}</td><td>${escape(lot.categoryNameZh)}</td><td>${escape(lot.sellerName)}</td>
    <td class="num">${formatKg(lot.availableKg)}</td><td class="num">${formatYuan(lot.unitPriceFen)}</td>
    <td>${lot.bestBefore}</td><td class="num">${lot.daysToBestBefore}</td>
    <td>${lot.reasons.map((r) => `<span class="tag">${r === 'stalled' ? '滞销' : '临期'}</span>`).join('')}</td>
  </tr>`).join('');
}

const STATE = { upcoming: '未开始', active: '进行中', ended: '已结束' } as const;
const EMPTY = (columns: number, text: string) => `<tr><td colspan="${columns}" class="muted">${text}</td></tr>`;

/** The 消费扶贫 panel: purchasers' pledge fulfilment, campaigns with live figures, courier subsidy spend vs budget. */
function renderAssistance(a: AssistanceDashboard): void {
  $('pledge-year').textContent = `（${a.pledges.year} 年）`;
  document.querySelector('#pledges tbody')!.innerHTML = a.pledges.purchasers.length
    ? a.pledges.purchasers.map((p) => `<tr data-purchaser="${p.organizationId}">
        <td>${escape(p.name)}</td><td class="num">${p.pledgedFen === null ? '—' : formatYuan(p.pledgedFen)}</td>
        <td class="num">${formatYuan(p.countedFen)}</td><td class="num">${formatYuan(p.supervisedFen)}</td>
        <td class="num">${p.shareOfPledge === null ? '—' : formatRate(p.shareOfPledge)}</td>
        <td>${p.behindSchedule ? '<span class="tag">滞后</span>' : '正常'}</td></tr>`).join('')
    : EMPTY(6, '本辖区暂无消费扶贫采购单位');
  document.querySelector('#campaigns tbody')!.innerHTML = a.campaigns.length
    ? a.campaigns.map((c) => `<tr data-campaign="${c.id}">
        <td>${escape(c.name)}</td><td>${c.startsOn} 至 ${c.endsOn}</td><td>${STATE[c.state]}</td>
        <td class="num">${formatKg(c.soldKg)}</td><td class="num">${formatYuan(c.soldFen)}</td>
        <td class="num">${formatInt(c.orders)}</td><td class="num">${formatInt(c.countiesReached)}</td></tr>`).join('')
    : EMPTY(7, '暂无专项行动');
  document.querySelector('#subsidies tbody')!.innerHTML = a.subsidies.length
    ? a.subsidies.map((p) => `<tr data-programme="${p.id}">
        <td>${escape(p.name)}</td><td class="num">${formatYuan(p.perOrderFen)}</td><td class="num">${formatYuan(p.budgetFen)}</td>
        <td class="num">${formatYuan(p.spentFen)}</td><td class="num">${formatYuan(p.remainingFen)}</td>
        <td class="num">${formatInt(p.earnedOrders)}</td><td class="num">${formatInt(p.sellers)}</td></tr>`).join('')
    : EMPTY(7, '暂无物流补贴项目');
}

async function downloadReport(): Promise<void> {
  const button = $<HTMLButtonElement>('download-report');
  const month = $<HTMLInputElement>('report-month').value;
  const format = $<HTMLSelectElement>('report-format').value;
  button.disabled = true;
  $('report-status').textContent = '正在生成…';
  try {
    const { generatedAt } = await download(`/reports/monthly?month=${month}&format=${format}`, `report-${month}.${format}`);
    $('report-status').textContent = generatedAt ? `已下载（生成于 ${new Date(generatedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}）` : '已下载';
  } catch (error) {
    $('report-status').textContent = (error as Error).message;
  } finally {
    button.disabled = false;
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    await login($<HTMLInputElement>('phone').value.trim(), $<HTMLInputElement>('password').value);
    await showApp();
  } catch (error) {
    $('login-error').textContent = error instanceof ApiError && error.status === 401 ? '手机号或密码错误' : (error as Error).message;
  }
});
$('logout').addEventListener('click', () => showLogin());
$('refresh').addEventListener('click', () => void load());
$('download-report').addEventListener('click', () => void downloadReport());
window.addEventListener('resize', resizeCharts);

if (session.token) void showApp().catch(() => showLogin());
else showLogin();
