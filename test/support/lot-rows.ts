import { addDays, chinaDate } from '@chanxiao/core';

/** The import file's header row, in the template's column order. */
export const IMPORT_HEADER = '品类代码,标题,品种,等级,数量(公斤),起订量(公斤),单价(元/公斤),采收日期,最佳食用期至,需冷链,滞销,扶贫产品认定编号,产地县代码';

// Produce a county cooperative really lists: category, title, variety, price range (yuan/kg), shelf life days, cold chain.
const PRODUCE: [string, string, string, number, number, number, boolean][] = [
  ['fruit.apple', '花牛苹果', '花牛', 4.5, 8.5, 120, false],
  ['fruit.kiwi', '红心猕猴桃', '红阳', 6, 14, 60, false],
  ['fruit.navel_orange', '赣南脐橙', '纽荷尔', 3.5, 7, 60, false],
  ['veg.potato', '高原马铃薯', '青薯9号', 0.9, 1.8, 150, false],
  ['veg.chinese_cabbage', '大白菜', '北京新三号', 0.5, 1.2, 30, false],
  ['veg.chili', '线椒', '二荆条', 4, 9, 14, false],
  ['grain.rice', '高山生态大米', '八宝贡米', 5, 12, 365, false],
  ['nut.walnut', '薄皮核桃', '温185', 18, 32, 365, false],
  ['tea.green', '高山绿茶', '福鼎大白', 120, 380, 365, false],
  ['fungi.shiitake', '鲜香菇', '808', 8, 16, 7, true],
];

/**
 * `count` CSV rows of plausible lots (rows numbered 2.. in the file). Every `badEvery`-th row carries one
 * mistake a clerk makes (price in words, a category that does not exist, a minimum above the quantity, four
 * decimals of kg), so a file exercises both paths; `fix` rewrites a bad row as the clerk would after reading the report.
 */
export function lotRows(count: number, badEvery = 0, today = chinaDate()): { rows: string[]; badRows: number[]; fix: (row: number) => string } {
  const make = (i: number, broken: boolean) => {
    const [code, name, variety, low, high, shelf, cold] = PRODUCE[i % PRODUCE.length];
    const quantity = 500 + ((i * 7919) % 40000);
    const price = (low + ((i * 31) % 100) / 100 * (high - low)).toFixed(2);
    const harvested = addDays(today, -(i % Math.min(shelf, 10)));
    const bestBefore = addDays(harvested, Math.max(shelf, 3));
    const fields = [code, `${name} ${i + 1}号批次`, variety, '一级', String(quantity), '100', price, harvested, bestBefore, cold ? '是' : '否', i % 3 === 0 ? '是' : '否', '', ''];
    if (broken) {
      const mistake = i % 4;
      if (mistake === 0) fields[6] = '六块五';
      if (mistake === 1) fields[0] = 'fruit.durian';
      if (mistake === 2) fields[5] = String(quantity + 1);
      if (mistake === 3) fields[4] = `${quantity}.1234`;
    }
    return fields.join(',');
  };
  const badRows: number[] = [];
  const rows = Array.from({ length: count }, (_, i) => {
    const broken = badEvery > 0 && i % badEvery === badEvery - 1;
    if (broken) badRows.push(i + 2);
    return make(i, broken);
  });
  return { rows, badRows, fix: (row) => make(row - 2, false) };
}
