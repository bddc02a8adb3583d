/**
 * The two-level produce taxonomy (大类 › 品类) of what poverty counties sell in bulk, as pure data: the
 * reference-data migration loads it into `categories`, and nothing here depends on Nest or TypeORM.
 *
 * Codes are stable, lowercase ASCII and hierarchical: a top-level group (`fruit`) and its leaves
 * (`fruit.apple`). Once published a code is never renamed or reused; a new category gets a new code.
 *
 * Perishability bands, by the typical shelf life of the raw produce as traded in bulk (in cold storage where
 * that is the trade's norm, e.g. apples and kiwifruit out of 冷库):
 * - `high`: ≤ 14 days (fresh meat, fish, mushrooms, stone fruit, leafy vegetables);
 * - `medium`: 15–90 days (citrus, cabbage, root vegetables, eggs, chestnuts);
 * - `low`: > 90 days (grain, oil, tea, dried herbs and fungi, nuts, storage crops such as potatoes).
 * The band is derived from the shelf life by {@link perishabilityOf}, so the two can never disagree.
 *
 * `coldChainRequired` is true where the produce spoils or becomes unsafe without refrigeration in transit
 * (fresh meat, fish, fresh mushrooms, soft fruit, leafy vegetables). Chilling-sensitive tropical fruit that is
 * picked green and ripens in transit (banana, mango) ships at ambient temperature and is `false`.
 *
 * A top-level category carries the values of its most perishable common case rather than an average, so that
 * a demand or filter on the whole group never under-estimates urgency or cold-chain needs: 水果 is treated like
 * soft fruit (high, cold chain), 蔬菜 like leaf and fruit vegetables, 菌菇 like fresh mushrooms.
 */
export type Perishability = 'high' | 'medium' | 'low';

export interface CategorySeed {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  perishability: Perishability;
  typicalShelfLifeDays: number;
  coldChainRequired: boolean;
}

/** The band a typical shelf life falls in: `high` ≤ 14 days, `medium` 15–90 days, `low` > 90 days. */
export function perishabilityOf(shelfLifeDays: number): Perishability {
  if (shelfLifeDays <= 14) return 'high';
  return shelfLifeDays <= 90 ? 'medium' : 'low';
}

type Leaf = [code: string, nameZh: string, nameEn: string, shelfLifeDays: number, coldChain: boolean];

interface Group {
  code: string;
  nameZh: string;
  nameEn: string;
  shelfLifeDays: number;
  coldChain: boolean;
  leaves: Leaf[];
}

const GROUPS: Group[] = [
  {
    code: 'fruit', nameZh: '水果', nameEn: 'Fruit', shelfLifeDays: 14, coldChain: true,
    leaves: [
      ['fruit.apple', '苹果', 'Apple', 120, false],
      ['fruit.kiwi', '猕猴桃', 'Kiwifruit', 60, false],
      ['fruit.navel_orange', '脐橙', 'Navel orange', 60, false],
      ['fruit.citrus', '柑橘', 'Mandarin orange', 45, false],
      ['fruit.pear', '梨', 'Pear', 90, false],
      ['fruit.mango', '芒果', 'Mango', 10, false],
      ['fruit.banana', '香蕉', 'Banana', 10, false],
      ['fruit.lychee', '荔枝', 'Lychee', 5, true],
      ['fruit.longan', '龙眼', 'Longan', 7, true],
      ['fruit.dragon_fruit', '火龙果', 'Dragon fruit', 14, true],
      ['fruit.passion_fruit', '百香果', 'Passion fruit', 21, false],
      ['fruit.grape', '葡萄', 'Grape', 30, true],
      ['fruit.peach', '桃', 'Peach', 7, true],
      ['fruit.plum', '李子', 'Plum', 14, true],
      ['fruit.strawberry', '草莓', 'Strawberry', 4, true],
      ['fruit.blueberry', '蓝莓', 'Blueberry', 14, true],
      ['fruit.cherry', '樱桃', 'Cherry', 7, true],
      ['fruit.watermelon', '西瓜', 'Watermelon', 21, false],
      ['fruit.hami_melon', '哈密瓜', 'Hami melon', 30, false],
      ['fruit.pomegranate', '石榴', 'Pomegranate', 60, false],
      ['fruit.persimmon', '柿子', 'Persimmon', 14, false],
    ],
  },
  {
    code: 'veg', nameZh: '蔬菜', nameEn: 'Vegetables', shelfLifeDays: 10, coldChain: true,
    leaves: [
      ['veg.potato', '马铃薯', 'Potato', 150, false],
      ['veg.chinese_cabbage', '大白菜', 'Chinese cabbage', 30, false],
      ['veg.cabbage', '甘蓝', 'Cabbage', 30, false],
      ['veg.chili', '辣椒', 'Fresh chili pepper', 14, false],
      ['veg.garlic', '大蒜', 'Garlic', 180, false],
      ['veg.ginger', '生姜', 'Ginger', 120, false],
      ['veg.onion', '洋葱', 'Onion', 120, false],
      ['veg.tomato', '番茄', 'Tomato', 10, true],
      ['veg.cucumber', '黄瓜', 'Cucumber', 7, true],
      ['veg.carrot', '胡萝卜', 'Carrot', 60, false],
      ['veg.radish', '萝卜', 'Radish', 45, false],
      ['veg.broccoli', '西兰花', 'Broccoli', 10, true],
      ['veg.lettuce', '生菜', 'Lettuce', 5, true],
      ['veg.pumpkin', '南瓜', 'Pumpkin', 90, false],
      ['veg.sweet_potato', '红薯', 'Sweet potato', 120, false],
      ['veg.yam', '山药', 'Chinese yam', 60, false],
      ['veg.lotus_root', '莲藕', 'Lotus root', 14, true],
      ['veg.bamboo_shoot', '竹笋', 'Bamboo shoot', 7, true],
      ['veg.konjac', '魔芋', 'Konjac corm', 90, false],
    ],
  },
  {
    code: 'meat', nameZh: '肉禽蛋', nameEn: 'Meat, poultry and eggs', shelfLifeDays: 7, coldChain: true,
    leaves: [
      ['meat.pork', '猪肉', 'Pork', 7, true],
      ['meat.beef', '黄牛肉', 'Beef', 10, true],
      ['meat.yak', '牦牛肉', 'Yak meat', 10, true],
      ['meat.mutton', '羊肉', 'Mutton', 7, true],
      ['meat.chicken', '土鸡', 'Free-range chicken', 5, true],
      ['meat.duck', '鸭', 'Duck', 5, true],
      ['meat.goose', '鹅', 'Goose', 5, true],
      ['meat.egg', '鸡蛋', 'Chicken eggs', 30, false],
      ['meat.duck_egg', '鸭蛋', 'Duck eggs', 30, false],
      ['meat.cured_pork', '腊肉', 'Cured pork', 180, false],
    ],
  },
  {
    code: 'aqua', nameZh: '水产', nameEn: 'Aquatic products', shelfLifeDays: 3, coldChain: true,
    leaves: [
      ['aqua.crayfish', '小龙虾', 'Crayfish', 2, true],
      ['aqua.carp', '鲤鱼', 'Carp', 3, true],
      ['aqua.grass_carp', '草鱼', 'Grass carp', 3, true],
      ['aqua.rice_field_carp', '稻田鱼', 'Rice-paddy carp', 3, true],
      ['aqua.trout', '虹鳟', 'Rainbow trout', 4, true],
      ['aqua.sturgeon', '鲟鱼', 'Sturgeon', 4, true],
      ['aqua.crab', '河蟹', 'Mitten crab', 5, true],
      ['aqua.loach', '泥鳅', 'Loach', 4, true],
      ['aqua.eel', '黄鳝', 'Rice-field eel', 3, true],
    ],
  },
  {
    code: 'grain', nameZh: '粮油', nameEn: 'Grain and oil', shelfLifeDays: 365, coldChain: false,
    leaves: [
      ['grain.rice', '大米', 'Rice', 365, false],
      ['grain.wheat_flour', '面粉', 'Wheat flour', 270, false],
      ['grain.corn', '玉米', 'Maize', 365, false],
      ['grain.camellia_oil', '茶油', 'Camellia oil', 540, false],
      ['grain.rapeseed_oil', '菜籽油', 'Rapeseed oil', 540, false],
      ['grain.peanut', '花生', 'Peanuts', 270, false],
      ['grain.sesame', '芝麻', 'Sesame', 365, false],
    ],
  },
  {
    code: 'coarse', nameZh: '杂粮豆类', nameEn: 'Coarse grains and beans', shelfLifeDays: 365, coldChain: false,
    leaves: [
      ['coarse.millet', '小米', 'Foxtail millet', 365, false],
      ['coarse.buckwheat', '荞麦', 'Buckwheat', 365, false],
      ['coarse.oats', '燕麦', 'Naked oats', 365, false],
      ['coarse.highland_barley', '青稞', 'Highland barley', 365, false],
      ['coarse.sorghum', '高粱', 'Sorghum', 365, false],
      ['coarse.quinoa', '藜麦', 'Quinoa', 365, false],
      ['coarse.soybean', '大豆', 'Soybeans', 365, false],
      ['coarse.mung_bean', '绿豆', 'Mung beans', 365, false],
      ['coarse.red_bean', '红小豆', 'Adzuki beans', 365, false],
      ['coarse.black_rice', '黑糯米', 'Black glutinous rice', 365, false],
    ],
  },
  {
    code: 'fungi', nameZh: '菌菇', nameEn: 'Mushrooms and fungi', shelfLifeDays: 7, coldChain: true,
    leaves: [
      ['fungi.shiitake', '香菇', 'Fresh shiitake', 7, true],
      ['fungi.dried_shiitake', '干香菇', 'Dried shiitake', 365, false],
      ['fungi.wood_ear', '木耳', 'Dried wood ear', 365, false],
      ['fungi.matsutake', '松茸', 'Matsutake', 4, true],
      ['fungi.morel', '羊肚菌', 'Morel', 5, true],
      ['fungi.bolete', '牛肝菌', 'Porcini (bolete)', 4, true],
      ['fungi.oyster', '平菇', 'Oyster mushroom', 5, true],
      ['fungi.tremella', '银耳', 'Dried tremella', 365, false],
      ['fungi.bamboo_fungus', '竹荪', 'Dried bamboo fungus', 365, false],
    ],
  },
  {
    code: 'tea', nameZh: '茶叶', nameEn: 'Tea', shelfLifeDays: 540, coldChain: false,
    leaves: [
      ['tea.green', '绿茶', 'Green tea', 365, false],
      ['tea.black', '红茶', 'Black tea', 540, false],
      ['tea.puer', '普洱茶', "Pu'er tea", 3650, false],
      ['tea.dark', '黑茶', 'Dark tea', 1825, false],
      ['tea.oolong', '乌龙茶', 'Oolong tea', 540, false],
    ],
  },
  {
    code: 'herb', nameZh: '中药材', nameEn: 'Chinese medicinal herbs', shelfLifeDays: 730, coldChain: false,
    leaves: [
      ['herb.sanqi', '三七', 'Sanqi (notoginseng)', 730, false],
      ['herb.angelica', '当归', 'Angelica root', 730, false],
      ['herb.codonopsis', '党参', 'Codonopsis root', 730, false],
      ['herb.gastrodia', '天麻', 'Dried gastrodia tuber', 730, false],
      ['herb.astragalus', '黄芪', 'Astragalus root', 730, false],
      ['herb.pinellia', '半夏', 'Pinellia tuber', 730, false],
      ['herb.poria', '茯苓', 'Poria', 730, false],
      ['herb.dendrobium', '石斛', 'Dried dendrobium', 730, false],
      ['herb.goji', '枸杞', 'Goji berries', 365, false],
      ['herb.honeysuckle', '金银花', 'Honeysuckle flower', 540, false],
    ],
  },
  {
    code: 'nut', nameZh: '干果坚果', nameEn: 'Nuts and dried fruit', shelfLifeDays: 270, coldChain: false,
    leaves: [
      ['nut.walnut', '核桃', 'Walnuts', 365, false],
      ['nut.jujube', '红枣', 'Dried jujube', 365, false],
      ['nut.chestnut', '板栗', 'Chestnuts', 60, false],
      ['nut.pecan', '山核桃', 'Hickory nuts', 365, false],
      ['nut.almond', '巴旦木', 'Badam almonds', 365, false],
      ['nut.macadamia', '澳洲坚果', 'Macadamia nuts', 365, false],
      ['nut.raisin', '葡萄干', 'Raisins', 365, false],
      ['nut.dried_persimmon', '柿饼', 'Dried persimmon', 180, false],
    ],
  },
  {
    code: 'spice', nameZh: '香辛料', nameEn: 'Spices', shelfLifeDays: 365, coldChain: false,
    leaves: [
      ['spice.sichuan_pepper', '花椒', 'Sichuan pepper', 540, false],
      ['spice.dried_chili', '干辣椒', 'Dried chili', 365, false],
      ['spice.star_anise', '八角', 'Star anise', 730, false],
      ['spice.cassia', '肉桂', 'Cassia bark', 730, false],
      ['spice.tsaoko', '草果', 'Tsaoko cardamom', 730, false],
    ],
  },
  {
    code: 'bee', nameZh: '蜂产品', nameEn: 'Bee products', shelfLifeDays: 730, coldChain: false,
    leaves: [
      ['bee.honey', '蜂蜜', 'Honey', 730, false],
      ['bee.pollen', '蜂花粉', 'Bee pollen', 365, false],
      // Royal jelly degrades within days at room temperature; it is kept frozen and shipped chilled.
      ['bee.royal_jelly', '蜂王浆', 'Royal jelly', 60, true],
    ],
  },
];

/** Every category in display order: each top-level category, then its leaves. */
export const CATEGORY_TAXONOMY: readonly CategorySeed[] = GROUPS.flatMap((group): CategorySeed[] => [
  {
    code: group.code,
    parentCode: null,
    nameZh: group.nameZh,
    nameEn: group.nameEn,
    perishability: perishabilityOf(group.shelfLifeDays),
    typicalShelfLifeDays: group.shelfLifeDays,
    coldChainRequired: group.coldChain,
  },
  ...group.leaves.map(([code, nameZh, nameEn, days, coldChain]): CategorySeed => ({
    code,
    parentCode: group.code,
    nameZh,
    nameEn,
    perishability: perishabilityOf(days),
    typicalShelfLifeDays: days,
    coldChainRequired: coldChain,
  })),
]);
