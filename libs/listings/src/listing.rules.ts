import { addDays, daysBetween } from '@chanxiao/core';
import type { ListingStatus } from './listing.state-machine';

/** What the publish check needs to know of a lot and its category. */
export interface PublishFacts {
  totalGrams: number;
  availableGrams: number;
  minOrderGrams: number;
  unitPriceFen: number;
  harvestedOn: string;
  bestBefore: string;
  typicalShelfLifeDays: number;
  categoryName: string;
}

/**
 * How far past its category's typical shelf life a lot may be declared good. Produce varies (cold storage
 * stretches apples to months), so the check only catches the implausible: three times the typical life.
 */
export const SHELF_LIFE_SLACK = 3;

/**
 * Why a lot may not go live, or nothing. Checked on publish (and on import with `?publish=true`):
 * the best-before date is in the future, the harvest is not in the future, the minimum order fits in the lot,
 * the price is positive, and the best-before date is plausible for the category's shelf life.
 */
export function publishProblems(lot: PublishFacts, today: string): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (lot.bestBefore <= today) problems.push({ field: 'bestBefore', message: `must be after today (${today})` });
  if (lot.harvestedOn > today) problems.push({ field: 'harvestedOn', message: `must not be after today (${today})` });
  if (lot.bestBefore < lot.harvestedOn) problems.push({ field: 'bestBefore', message: 'must not be before harvestedOn' });
  if (lot.minOrderGrams > lot.availableGrams) problems.push({ field: 'minOrderKg', message: 'must not exceed the quantity available' });
  if (lot.unitPriceFen <= 0) problems.push({ field: 'unitPriceFen', message: 'must be greater than 0' });
  const plausibleUntil = addDays(lot.harvestedOn, lot.typicalShelfLifeDays * SHELF_LIFE_SLACK);
  if (lot.bestBefore > plausibleUntil) {
    problems.push({
      field: 'bestBefore',
      message: `is ${daysBetween(lot.harvestedOn, lot.bestBefore)} days after harvest; ${lot.categoryName} typically keeps ${lot.typicalShelfLifeDays} days (at most ${plausibleUntil} is accepted)`,
    });
  }
  return problems;
}

export type EditableField =
  | 'categoryCode' | 'title' | 'variety' | 'grade' | 'quantityKg' | 'minOrderKg' | 'unitPriceFen'
  | 'harvestedOn' | 'bestBefore' | 'coldChain' | 'stalled' | 'certificateNo' | 'regionCode';

const COMMERCIAL: EditableField[] = ['title', 'variety', 'grade', 'quantityKg', 'minOrderKg', 'unitPriceFen', 'bestBefore', 'coldChain', 'stalled', 'certificateNo'];

/**
 * Which fields `PATCH` may change in each state. A draft is the seller's own; once active, buyers may hold or
 * have ordered it, so what the produce *is* (category, origin, harvest) is fixed and only its commercial terms
 * move. Closed lots are history.
 */
export const EDITABLE_FIELDS: Record<ListingStatus, readonly EditableField[]> = {
  draft: [...COMMERCIAL, 'categoryCode', 'harvestedOn', 'regionCode'],
  active: COMMERCIAL,
  sold_out: [],
  withdrawn: [],
  expired: [],
};
