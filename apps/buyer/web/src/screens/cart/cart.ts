import { computed, reactive, watch } from 'vue';
import type { Lot } from '../../api/client';

/** A lot in the cart, with what the cart shows of it as it was when added (the API reprices at checkout). */
export interface CartLine {
  listingId: string;
  title: string;
  sellerOrganizationId: string;
  regionCode: string;
  isSupervisedCounty: boolean;
  isPovertyCounty: boolean;
  unitPriceFen: number;
  minOrderKg: number;
  availableKg: number;
  thumbUrl: string | null;
  quantityKg: number;
}

const KEY = 'chanxiao.buyer.cart';

function restore(): CartLine[] {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(saved) ? (saved as CartLine[]) : [];
  } catch {
    return []; // a damaged cart is dropped
  }
}

/** The cart across sellers, kept in localStorage so a reload (or tomorrow) still has it. */
export const cart = reactive({ lines: restore() });
watch(() => cart.lines, (lines) => localStorage.setItem(KEY, JSON.stringify(lines)), { deep: true });

export const cartCount = computed(() => cart.lines.length);

/** Adds a lot (or sets its quantity when it is already in the cart). */
export function addToCart(lot: Lot, quantityKg: number): void {
  const line: CartLine = {
    listingId: lot.id, title: lot.title, sellerOrganizationId: lot.organizationId, regionCode: lot.regionCode,
    isSupervisedCounty: lot.isSupervisedCounty, isPovertyCounty: lot.isPovertyCounty, unitPriceFen: lot.unitPriceFen,
    minOrderKg: lot.minOrderKg, availableKg: lot.availableKg, thumbUrl: lot.photos[0]?.thumbUrl ?? null, quantityKg,
  };
  const existing = cart.lines.findIndex((l) => l.listingId === lot.id);
  if (existing >= 0) cart.lines.splice(existing, 1, line);
  else cart.lines.push(line);
}

export function removeFromCart(listingId: string): void {
  cart.lines = cart.lines.filter((l) => l.listingId !== listingId);
}

/** Empties the cart once its orders are placed. */
export function clearCart(): void {
  cart.lines = [];
}

export const lineFen = (line: CartLine) => Math.round(line.unitPriceFen * line.quantityKg);

/** The cart split the way checkout splits it: one group (one order) per seller, with its subtotal. */
export const bySeller = computed(() => {
  const groups = new Map<string, { sellerOrganizationId: string; regionCode: string; isSupervisedCounty: boolean; isPovertyCounty: boolean; lines: CartLine[]; subtotalFen: number }>();
  for (const line of cart.lines) {
    const group = groups.get(line.sellerOrganizationId) ?? {
      sellerOrganizationId: line.sellerOrganizationId, regionCode: line.regionCode, isSupervisedCounty: line.isSupervisedCounty,
      isPovertyCounty: line.isPovertyCounty, lines: [], subtotalFen: 0,
    };
    group.lines.push(line);
    group.subtotalFen += lineFen(line);
    groups.set(line.sellerOrganizationId, group);
  }
  return [...groups.values()];
});

export const cartTotalFen = computed(() => cart.lines.reduce((sum, line) => sum + lineFen(line), 0));
