import { randomInt } from 'node:crypto';
import { addDays, chinaDate, type Principal } from '@chanxiao/core';
import { IdentityService, usccCheckCharacter } from '@chanxiao/identity';
import type { HttpClient } from './apps';

const USCC_BODY = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid, random 统一社会信用代码: `93` (farmers' cooperative) or `91` (enterprise), the region, a random body. */
export function makeUscc(regionCode = '532627', type: '91' | '93' = '93'): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += USCC_BODY[randomInt(USCC_BODY.length)];
  const first17 = `${type}${regionCode}${body}`;
  return first17 + usccCheckCharacter(first17);
}

/** A random, valid-looking mainland mobile number. */
export function makePhone(): string {
  return `1${randomInt(3, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}

export const TEST_PASSWORD = 'Harvest2020apples';

export function sellerRegistration(overrides: { organization?: Record<string, unknown>; user?: Record<string, unknown> } = {}) {
  const phone = makePhone();
  return {
    organization: {
      name: '广南县八宝贡米农民专业合作社',
      creditCode: makeUscc('532627'),
      regionCode: '532627', // 广南县, 云南: a supervised (挂牌督战) county
      contactPhone: phone,
      povertyHouseholds: 86,
      ...overrides.organization,
    },
    user: { phone, password: TEST_PASSWORD, name: '陆光明', ...overrides.user },
  };
}

export function buyerRegistration(overrides: { organization?: Record<string, unknown>; user?: Record<string, unknown> } = {}) {
  const phone = makePhone();
  return {
    organization: {
      name: '深圳市布吉海吉星农产品物流园有限公司',
      creditCode: makeUscc('440307', '91'),
      regionCode: '440307',
      contactPhone: phone,
      buyerType: 'wholesale_market',
      ...overrides.organization,
    },
    user: { phone, password: TEST_PASSWORD, name: '陈晓东', ...overrides.user },
  };
}

/** Registers a cooperative through the seller app and returns its token and ids. */
export async function makeCooperative(seller: HttpClient, overrides: Parameters<typeof sellerRegistration>[0] = {}) {
  const input = sellerRegistration(overrides);
  const response = await seller.post('/api/v1/auth/register', input);
  if (response.status !== 201) throw new Error(`makeCooperative: ${response.status} ${response.text}`);
  return { ...response.body, input } as { accessToken: string; user: { id: string }; organization: { id: string }; input: typeof input };
}

/** Registers a buying organisation through the buyer app and returns its token and ids. */
export async function makeBuyer(buyer: HttpClient, overrides: Parameters<typeof buyerRegistration>[0] = {}) {
  const input = buyerRegistration(overrides);
  const response = await buyer.post('/api/v1/auth/register', input);
  if (response.status !== 201) throw new Error(`makeBuyer: ${response.status} ${response.text}`);
  return { ...response.body, input } as { accessToken: string; user: { id: string }; organization: { id: string }; input: typeof input };
}

/** A valid create-listing body: apples harvested ten days ago, good for four more months. */
export function listingInput(overrides: Record<string, unknown> = {}) {
  const today = chinaDate();
  return {
    categoryCode: 'fruit.apple',
    title: '秦安花牛苹果 80mm+ 一级果',
    variety: '花牛',
    grade: '一级',
    quantityKg: 20000,
    minOrderKg: 500,
    unitPriceFen: 680,
    harvestedOn: addDays(today, -10),
    bestBefore: addDays(today, 120),
    coldChain: false,
    stalled: true,
    certificateNo: 'FP2020-620522-0137',
    ...overrides,
  };
}

/** Creates (and by default publishes) a lot through the seller API. */
export async function makeListing(seller: HttpClient, token: string, overrides: Record<string, unknown> = {}, publish = true) {
  const created = await seller.post('/api/v1/listings', listingInput(overrides), token);
  if (created.status !== 201) throw new Error(`makeListing: ${created.status} ${created.text}`);
  if (!publish) return created.body;
  const published = await seller.post(`/api/v1/listings/${created.body.id}/publish`, undefined, token);
  if (published.status !== 200) throw new Error(`makeListing publish: ${published.status} ${published.text}`);
  return published.body;
}

/** A valid create-demand body: 5 t of apples to Shenzhen (深圳市), wanted within thirty days. */
export function demandInput(overrides: Record<string, unknown> = {}) {
  return {
    categoryCode: 'fruit.apple',
    quantityKg: 5000,
    maxUnitPriceFen: 700,
    destinationRegionCode: '440300',
    deliverBy: addDays(chinaDate(), 30),
    coldChainCapable: true,
    preferPoverty: true,
    note: '80mm 以上, 纸箱装',
    ...overrides,
  };
}

/** Posts a demand through the buyer API and returns it. */
export async function makeDemand(buyer: HttpClient, token: string, overrides: Record<string, unknown> = {}) {
  const response = await buyer.post('/api/v1/demands', demandInput(overrides), token);
  if (response.status !== 201) throw new Error(`makeDemand: ${response.status} ${response.text}`);
  return response.body;
}

/**
 * Registers an organisation straight through `IdentityService` (for tests that drive services, not the HTTP API)
 * and returns its admin as a `Principal`. `organization` overrides the registration's fields (`regionCode`, …).
 */
export async function registerPrincipal(app: { get(type: typeof IdentityService): IdentityService }, kind: 'seller' | 'buyer', organization: Record<string, unknown> = {}): Promise<Principal> {
  const input = kind === 'seller' ? sellerRegistration({ organization }) : buyerRegistration({ organization });
  const { user, organization: created } = await app.get(IdentityService).register({ kind, ...input } as never);
  return { userId: user.id, organizationId: created.id, kind, role: 'admin', regionCode: null };
}
