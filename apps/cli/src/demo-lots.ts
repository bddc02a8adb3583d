/**
 * Demo lots for the demo cooperatives, by the cooperative's phone: what each county really sells, at 2020-ish
 * wholesale prices (fen per kg). Dates are relative to the day the seed runs, so the lots are live.
 */
export interface DemoLot {
  categoryCode: string;
  title: string;
  variety: string;
  grade: string;
  quantityKg: number;
  minOrderKg: number;
  unitPriceFen: number;
  harvestedDaysAgo: number;
  keepsDays: number;
  coldChain: boolean;
  stalled: boolean;
}

const lot = (categoryCode: string, title: string, variety: string, grade: string, quantityKg: number, minOrderKg: number, unitPriceFen: number, harvestedDaysAgo: number, keepsDays: number, coldChain = false, stalled = true): DemoLot => ({
  categoryCode, title, variety, grade, quantityKg, minOrderKg, unitPriceFen, harvestedDaysAgo, keepsDays, coldChain, stalled,
});

export const DEMO_LOTS: Record<string, DemoLot[]> = {
  '13800138001': [lot('grain.rice', '广南八宝贡米 新米', '八宝贡米', '一级', 30000, 500, 980, 25, 365), lot('grain.rice', '广南八宝红米', '八宝红米', '一级', 8000, 200, 1280, 25, 365, false, false)],
  '13800138002': [lot('tea.puer', '景迈山古树普洱生茶', '景迈大叶种', '特级', 1200, 20, 32000, 60, 3650), lot('tea.black', '澜沧滇红工夫', '云南大叶种', '一级', 2500, 50, 16800, 40, 540, false, false)],
  '13800138003': [lot('spice.tsaoko', '福贡草果 干果', '草果', '统货', 18000, 500, 3600, 30, 730)],
  '13800138004': [lot('herb.pinellia', '西和半夏 干品', '旱半夏', '统货', 6000, 100, 7800, 45, 730)],
  '13800138005': [lot('nut.jujube', '策勒和田红枣', '骏枣', '特级', 40000, 1000, 1650, 35, 365)],
  '13800138006': [lot('veg.potato', '昭觉高原马铃薯', '青薯9号', '商品薯', 250000, 5000, 110, 20, 150), lot('coarse.buckwheat', '昭觉苦荞', '苦荞', '统货', 30000, 1000, 680, 50, 365, false, false)],
  '13800138007': [lot('fruit.apple', '秦安花牛苹果 80mm+', '花牛', '一级', 80000, 1000, 680, 30, 120), lot('fruit.apple', '秦安花牛苹果 70-80mm', '花牛', '二级', 50000, 1000, 450, 30, 120)],
  '13800138008': [lot('fruit.kiwi', '永顺红心猕猴桃', '红阳', '一级', 35000, 500, 980, 20, 60)],
  '13800138009': [lot('fruit.apple', '千阳矮砧富士苹果', '富士', '一级', 60000, 1000, 560, 28, 120, false, false)],
  '13800138010': [lot('meat.yak', '囊谦牦牛肉 冷鲜分割', '牦牛', '一级', 5000, 100, 9800, 2, 10, true)],
  '13800138011': [lot('coarse.black_rice', '惠水好花红黑糯米', '黑糯米', '一级', 20000, 500, 1180, 40, 365)],
  '13800138012': [lot('meat.beef', '新晃黄牛肉 冷鲜', '新晃黄牛', '一级', 8000, 100, 8600, 1, 10, true)],
};
