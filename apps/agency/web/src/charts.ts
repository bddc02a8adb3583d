import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { formatKg, formatYuan } from './format';
import type { CategoryRow, CountyRow, TrendPoint } from './types';

// Only what the dashboard draws, so the bundle stays small. SVG, so the figures are real text on the page.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const RED = '#c0392b';
const GREY = '#9aa5b1';
const GOLD = '#d68910';

function chart(id: string): echarts.ECharts {
  const element = document.getElementById(id)!;
  return echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: 'svg' });
}

/** Counties with any activity, most sold first (at most 12), with sold and listed kg. */
export function drawCounties(rows: CountyRow[]): void {
  const shown = rows.filter((r) => r.soldKg > 0 || r.listedKg > 0).sort((a, b) => b.soldKg - a.soldKg || b.listedKg - a.listedKg).slice(0, 12);
  chart('county-chart').setOption({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['销售量（公斤）', '上架量（公斤）'] },
    grid: { left: 60, right: 20, bottom: 60, top: 40 },
    xAxis: { type: 'category', data: shown.map((r) => (r.isSupervisedCounty ? `${r.name}★` : r.name)), axisLabel: { interval: 0, rotate: shown.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: '公斤' },
    series: [
      { name: '销售量（公斤）', type: 'bar', data: shown.map((r) => r.soldKg), itemStyle: { color: RED }, label: { show: true, position: 'top', formatter: (p: { value: number }) => formatKg(p.value) } },
      { name: '上架量（公斤）', type: 'bar', data: shown.map((r) => r.listedKg), itemStyle: { color: GREY }, label: { show: true, position: 'top', formatter: (p: { value: number }) => formatKg(p.value) } },
    ],
  }, true);
}

/** Categories by sales in yuan, largest first. */
export function drawCategories(rows: CategoryRow[]): void {
  const shown = rows.filter((r) => r.soldFen > 0).sort((a, b) => b.soldFen - a.soldFen).slice(0, 12).reverse();
  chart('category-chart').setOption({
    tooltip: { trigger: 'axis' },
    grid: { left: 90, right: 110, bottom: 30, top: 10 },
    xAxis: { type: 'value', name: '元' },
    yAxis: { type: 'category', data: shown.map((r) => r.nameZh) },
    series: [{
      name: '销售额（元）', type: 'bar', itemStyle: { color: GOLD },
      data: shown.map((r) => ({ value: r.soldFen / 100, fen: r.soldFen })),
      label: { show: true, position: 'right', formatter: (p: { data: { fen: number } }) => formatYuan(p.data.fen) },
    }],
  }, true);
}

/** Sales (yuan) and sold kg per month. */
export function drawTrend(points: TrendPoint[]): void {
  chart('trend-chart').setOption({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['销售额（元）', '销售量（公斤）'] },
    grid: { left: 80, right: 80, bottom: 30, top: 40 },
    xAxis: { type: 'category', data: points.map((p) => p.month) },
    yAxis: [{ type: 'value', name: '元' }, { type: 'value', name: '公斤' }],
    series: [
      {
        name: '销售额（元）', type: 'bar', itemStyle: { color: RED },
        data: points.map((p) => ({ value: p.soldFen / 100, fen: p.soldFen })),
        label: { show: true, position: 'top', formatter: (p: { data: { fen: number } }) => (p.data.fen ? formatYuan(p.data.fen) : '') },
      },
      { name: '销售量（公斤）', type: 'line', yAxisIndex: 1, itemStyle: { color: GREY }, data: points.map((p) => p.soldKg) },
    ],
  }, true);
}

export function resizeCharts(): void {
  for (const id of ['county-chart', 'category-chart', 'trend-chart']) echarts.getInstanceByDom(document.getElementById(id)!)?.resize();
}
