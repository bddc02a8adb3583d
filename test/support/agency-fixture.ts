import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { addDays, chinaDate } from '@chanxiao/core';
import { IdentityService } from '@chanxiao/identity';
import type { RunningApp } from './apps';
import { makeBuyer, makeCooperative, makeListing, makePhone, TEST_PASSWORD } from './factories';

/** The month before today's (China calendar), YYYY-MM. */
export function lastMonth(): string {
  return addDays(`${chinaDate().slice(0, 7)}-01`, -1).slice(0, 7);
}

/**
 * A small Yunnan market for the agency tests, with sales in last month and this month:
 * 广南县 (532627, supervised) apples (stalled) and rice (best-before in 3 days); 富宁县 (532628, poverty, same
 * prefecture 文山州) kiwi (stalled); 澜沧县 (530828, supervised, 普洱市) tea; 秦安县 (620522, Gansu) apples, outside.
 * Orders: paid in last month, paid this month, one left unpaid, one cancelled, one out of the province.
 */
export async function buildAgencyMarket(seller: RunningApp, buyer: RunningApp, agency: RunningApp, db: DataSource) {
  const month = lastMonth();
  const inMonth = (day: number) => `${month}-${String(day).padStart(2, '0')}T10:00:00+08:00`;
  const today = chinaDate();
  const guangnan = await makeCooperative(seller.http, { organization: { regionCode: '532627' } });
  const funing = await makeCooperative(seller.http, { organization: { regionCode: '532628', name: '富宁县猕猴桃专业合作社' } });
  const lancang = await makeCooperative(seller.http, { organization: { regionCode: '530828', name: '澜沧古茶合作社' } });
  const qinan = await makeCooperative(seller.http, { organization: { regionCode: '620522', name: '秦安花牛苹果合作社' } });
  const wholesale = await makeBuyer(buyer.http, { organization: { buyerType: 'wholesale_market' } });
  const canteen = await makeBuyer(buyer.http, { organization: { buyerType: 'consumption_assistance', name: '云南省直机关食堂' } });

  const apples = await makeListing(seller.http, guangnan.accessToken, { quantityKg: 10000, minOrderKg: 100, unitPriceFen: 680, stalled: true });
  const rice = await makeListing(seller.http, guangnan.accessToken, { categoryCode: 'grain.rice', title: '八宝贡米', quantityKg: 5000, minOrderKg: 100, unitPriceFen: 980, stalled: false, harvestedOn: addDays(today, -30), bestBefore: addDays(today, 3) });
  const kiwi = await makeListing(seller.http, funing.accessToken, { categoryCode: 'fruit.kiwi', title: '红心猕猴桃', quantityKg: 3000, minOrderKg: 50, unitPriceFen: 333, stalled: true });
  const tea = await makeListing(seller.http, lancang.accessToken, { categoryCode: 'tea.black', title: '滇红工夫', quantityKg: 1000, minOrderKg: 0.001, unitPriceFen: 16800, stalled: false, bestBefore: addDays(today, 300) });
  const gansu = await makeListing(seller.http, qinan.accessToken, { quantityKg: 8000, minOrderKg: 100, unitPriceFen: 450 });
  // Apples and kiwi went on the market last month.
  await db.query(`UPDATE listings SET published_at = $2 WHERE id = ANY($1)`, [[apples.id, kiwi.id], inMonth(2)]);

  const place = async (token: string, lines: { listingId: string; quantityKg: number }[]) => {
    const response = await buyer.http.request('POST', '/api/v1/orders', { body: { lines, paymentMethod: 'bank_transfer' }, token, headers: { 'idempotency-key': randomUUID() } });
    if (response.status !== 201) throw new Error(`place: ${response.status} ${response.text}`);
    return response.body.orders as { id: string; sellerOrganizationId: string }[];
  };
  const pay = async (orderId: string, sellerToken: string, paidAt?: string) => {
    const paid = await seller.http.post(`/api/v1/orders/${orderId}/confirm-payment`, undefined, sellerToken);
    if (paid.status !== 200) throw new Error(`pay: ${paid.status} ${paid.text}`);
    if (paidAt) await db.query(`UPDATE orders SET paid_at = $2 WHERE id = $1`, [orderId, paidAt]);
  };
  const tokenOf = new Map([[guangnan.organization.id, guangnan.accessToken], [funing.organization.id, funing.accessToken], [lancang.organization.id, lancang.accessToken], [qinan.organization.id, qinan.accessToken]]);

  // Last month: 1000 kg apples (wholesale); 200 kg rice (canteen); 300 kg kiwi (wholesale, then shipped).
  const [o1] = await place(wholesale.accessToken, [{ listingId: apples.id, quantityKg: 1000 }]);
  await pay(o1.id, guangnan.accessToken, inMonth(10));
  // A two-seller checkout: the rice order is paid last month, the tea order today.
  const pair = await place(canteen.accessToken, [{ listingId: rice.id, quantityKg: 200 }, { listingId: tea.id, quantityKg: 50.001 }]);
  for (const order of pair) await pay(order.id, tokenOf.get(order.sellerOrganizationId)!, order.sellerOrganizationId === guangnan.organization.id ? inMonth(20) : undefined);
  const [o3] = await place(wholesale.accessToken, [{ listingId: kiwi.id, quantityKg: 300 }]);
  await pay(o3.id, funing.accessToken, inMonth(28));
  await seller.http.post(`/api/v1/orders/${o3.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1402876500' }, funing.accessToken);
  // This month: 700.5 kg apples (canteen). Never counted: an unpaid order, a cancelled one, and Gansu's.
  const [o4] = await place(canteen.accessToken, [{ listingId: apples.id, quantityKg: 700.5 }]);
  await pay(o4.id, guangnan.accessToken);
  await place(wholesale.accessToken, [{ listingId: apples.id, quantityKg: 400 }]);
  const [cancelled] = await place(wholesale.accessToken, [{ listingId: kiwi.id, quantityKg: 100 }]);
  await buyer.http.post(`/api/v1/orders/${cancelled.id}/cancel`, undefined, wholesale.accessToken);
  const [o5] = await place(canteen.accessToken, [{ listingId: gansu.id, quantityKg: 1000 }]);
  await pay(o5.id, qinan.accessToken, inMonth(15));

  // Agency staff of the province, of 文山州 and of 广南县.
  const identity = agency.app.get(IdentityService);
  const staff = async (regionCode: string) => {
    const phone = makePhone();
    await identity.createAgencyUser({ phone, password: TEST_PASSWORD, name: '杨晓梅', regionCode });
    const login = await agency.http.post('/api/v1/auth/login', { phone, password: TEST_PASSWORD });
    if (login.status !== 200) throw new Error(`agency login: ${login.status} ${login.text}`);
    return login.body.accessToken as string;
  };
  return {
    month,
    lots: { apples, rice, kiwi, tea, gansu },
    tokens: { province: await staff('530000'), city: await staff('532600'), county: await staff('532627') },
  };
}
