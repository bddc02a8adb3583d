export const zh = {
  lots: {
    title: '我的货品',
    add: '发布货品',
    import: '表格导入',
    empty: '还没有货品，点击“发布货品”开始',
    tabs: { all: '全部', draft: '草稿', active: '在售', sold_out: '已售罄', withdrawn: '已下架', expired: '已过期' },
    status: { draft: '草稿', active: '在售', sold_out: '已售罄', withdrawn: '已下架', expired: '已过期' },
    stock: { available: '可售', reserved: '锁定', sold: '已售' },
    stockLine: '可售 {available} · 锁定 {reserved} · 已售 {sold}',
    price: '{price} 元/公斤',
    bestBefore: '保质期至 {date}',
    stalled: '滞销',
    coldChain: '冷链',
  },
};

export const en: typeof zh = {
  lots: {
    title: 'My lots',
    add: 'New lot',
    import: 'Import sheet',
    empty: 'No lots yet. Tap “New lot” to start',
    tabs: { all: 'All', draft: 'Drafts', active: 'On sale', sold_out: 'Sold out', withdrawn: 'Withdrawn', expired: 'Expired' },
    status: { draft: 'Draft', active: 'On sale', sold_out: 'Sold out', withdrawn: 'Withdrawn', expired: 'Expired' },
    stock: { available: 'Available', reserved: 'Reserved', sold: 'Sold' },
    stockLine: 'Available {available} · reserved {reserved} · sold {sold}',
    price: '{price} CNY/kg',
    bestBefore: 'Best before {date}',
    stalled: 'Stalled',
    coldChain: 'Cold chain',
  },
};
