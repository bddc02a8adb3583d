import type { BuyerType } from '@chanxiao/identity';

/**
 * Demo organisations: cooperatives in real 挂牌督战 and poverty counties (GB/T 2260 codes from the national
 * list), buyers of every buyer type in the cities that bought from them in 2020, and two agency users.
 * Credit codes are generated with a valid check character from `usccBody`; phones are in the 13800138xxx
 * range reserved for demos.
 */
export const DEMO_PASSWORD = 'Chanxiao2020demo';

export interface DemoSeller {
  name: string;
  regionCode: string;
  usccBody: string;
  phone: string;
  contact: string;
  povertyHouseholds: number;
}

export interface DemoBuyer {
  name: string;
  regionCode: string;
  usccBody: string;
  phone: string;
  contact: string;
  buyerType: BuyerType;
}

export const DEMO_SELLERS: DemoSeller[] = [
  { name: '广南县八宝贡米农民专业合作社', regionCode: '532627', usccBody: 'MA6K8B2X1', phone: '13800138001', contact: '陆光明', povertyHouseholds: 212 },
  { name: '澜沧拉祜族自治县景迈古茶农民专业合作社', regionCode: '530828', usccBody: 'MA6N1C7P3', phone: '13800138002', contact: '扎约', povertyHouseholds: 168 },
  { name: '福贡县草果种植农民专业合作社', regionCode: '533323', usccBody: 'MA6P4D9Q5', phone: '13800138003', contact: '普利华', povertyHouseholds: 94 },
  { name: '西和县半夏中药材农民专业合作社', regionCode: '621225', usccBody: 'MA71E3R26', phone: '13800138004', contact: '王彦军', povertyHouseholds: 131 },
  { name: '策勒县红枣种植农民专业合作社', regionCode: '653225', usccBody: 'MA77F5T48', phone: '13800138005', contact: '阿卜杜拉·买买提', povertyHouseholds: 246 },
  { name: '昭觉县高原马铃薯农民专业合作社', regionCode: '513431', usccBody: 'MA62G8U60', phone: '13800138006', contact: '吉克石且', povertyHouseholds: 305 },
  { name: '秦安县花牛苹果农民专业合作社', regionCode: '620522', usccBody: 'MA72H1W83', phone: '13800138007', contact: '李福成', povertyHouseholds: 77 },
  { name: '永顺县猕猴桃农民专业合作社', regionCode: '433127', usccBody: 'MA4L2J5X7', phone: '13800138008', contact: '彭志刚', povertyHouseholds: 58 },
  { name: '千阳县矮砧苹果家庭农场', regionCode: '610328', usccBody: 'MA6X3K7Y9', phone: '13800138009', contact: '赵建平', povertyHouseholds: 23 },
  { name: '囊谦县牦牛肉扶贫产业有限公司', regionCode: '632725', usccBody: 'MA75L9M1A', phone: '13800138010', contact: '才仁多杰', povertyHouseholds: 410 },
  { name: '惠水县好花红黑糯米农民专业合作社', regionCode: '522731', usccBody: 'MA6H4N2B3', phone: '13800138011', contact: '罗国荣', povertyHouseholds: 112 },
  { name: '新晃侗族自治县黄牛养殖农民专业合作社', regionCode: '431227', usccBody: 'MA4M5P8C5', phone: '13800138012', contact: '杨再兴', povertyHouseholds: 89 },
];

export const DEMO_BUYERS: DemoBuyer[] = [
  { name: '北京新发地农副产品批发市场中心', regionCode: '110106', usccBody: '102200015', phone: '13800138101', contact: '张立新', buyerType: 'wholesale_market' },
  { name: '杭州鲜果优选电子商务有限公司', regionCode: '330106', usccBody: 'MA2H7Q3D7', phone: '13800138102', contact: '沈佳怡', buyerType: 'ecommerce' },
  { name: '上海西郊国际农产品公益性交易市场', regionCode: '310112', usccBody: '607361274', phone: '13800138103', contact: '顾海峰', buyerType: 'public_welfare_market' },
  { name: '深圳市冷链通供应链物流有限公司', regionCode: '440307', usccBody: 'MA5F8R6E9', phone: '13800138104', contact: '黄志强', buyerType: 'logistics' },
  { name: '广东省直机关职工食堂管理中心', regionCode: '440104', usccBody: '455859412', phone: '13800138105', contact: '梁国栋', buyerType: 'consumption_assistance' },
  { name: '成都红旗社区生鲜连锁有限公司', regionCode: '510104', usccBody: 'MA61T2U3F', phone: '13800138106', contact: '刘思远', buyerType: 'retailer' },
];

export const DEMO_AGENCY_USERS = [
  { phone: '13800138201', name: '杨晓梅', regionCode: '530000', officeName: '云南省乡村振兴局' },
  { phone: '13800138202', name: '韦德明', regionCode: '532600', officeName: '文山壮族苗族自治州乡村振兴局' },
  { phone: '13800138203', name: '陈志华', regionCode: '420000', officeName: '湖北省乡村振兴局' },
];
