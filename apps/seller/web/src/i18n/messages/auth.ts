export const zh = {
  nav: { lots: '货品', proposals: '对接', orders: '订单', me: '我的' },
  auth: {
    title: '产销通 · 合作社卖家',
    subtitle: '贫困县合作社、家庭农场、扶贫企业 登录后发布滞销农产品',
  },
};

export const en: typeof zh = {
  nav: { lots: 'Lots', proposals: 'Matches', orders: 'Orders', me: 'Me' },
  auth: {
    title: 'Chanxiao · Sellers',
    subtitle: 'Cooperatives, family farms and poverty-alleviation enterprises: log in to list your produce',
  },
};
