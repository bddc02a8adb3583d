import { DomainError, type FieldProblem, isIsoDate, type Principal } from '@chanxiao/core';
import type { CategoriesService } from '@chanxiao/categories';
import type { RegionsService } from '@chanxiao/regions';

/**
 * Checks what agency staff set on a campaign or a subsidy programme: real dates in order, regions that exist and
 * lie within the caller's own region, known categories. Throws one 400 naming every offending field; returns the
 * regions as current codes.
 */
export function checkAgencyInput(
  principal: Principal,
  regions: RegionsService,
  input: { startsOn: string; endsOn: string; regionCodes: string[]; categoryCodes?: string[] },
  categories?: CategoriesService,
): string[] {
  const problems: FieldProblem[] = [];
  if (!principal.regionCode) throw new DomainError('forbidden', 'agency.no_region', 'this account has no region');
  if (!isIsoDate(input.startsOn)) problems.push({ field: 'startsOn', message: 'is not a calendar date' });
  if (!isIsoDate(input.endsOn)) problems.push({ field: 'endsOn', message: 'is not a calendar date' });
  else if (isIsoDate(input.startsOn) && input.endsOn < input.startsOn) problems.push({ field: 'endsOn', message: 'must not be before startsOn' });
  const codes = input.regionCodes.map((code, i) => {
    const current = regions.resolve(code);
    if (!current || !regions.exists(current)) problems.push({ field: `regionCodes[${i}]`, message: `${code} is not a GB/T 2260 region code` });
    else if (!regions.isWithin(current, principal.regionCode!)) problems.push({ field: `regionCodes[${i}]`, message: `${code} is not within your region ${principal.regionCode}` });
    return current ?? code;
  });
  if (new Set(codes).size !== codes.length) problems.push({ field: 'regionCodes', message: 'names a region twice' });
  (input.categoryCodes ?? []).forEach((code, i) => {
    if (!categories?.find(code)) problems.push({ field: `categoryCodes[${i}]`, message: `${code} is not a category code` });
  });
  if (problems.length) throw DomainError.validation('assistance.invalid', problems);
  return codes;
}
