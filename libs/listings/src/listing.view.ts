import type { DomainEvent } from '@chanxiao/core';
import type { ListingView } from './dto/listing.dto';
import type { Listing } from './listing.entity';
import type { ListingPhotoView } from './photos/listing-photo.view';
import { gramsToKg } from './quantity.util';

/** The API's view of a lot: kg, not grams (SPEC §5), with its photos (ListingPhotoViews). */
export function toListingView(lot: Listing, photos: ListingPhotoView[]): ListingView {
  return {
    id: lot.id,
    organizationId: lot.organizationId,
    status: lot.status,
    categoryCode: lot.categoryCode,
    title: lot.title,
    variety: lot.variety,
    grade: lot.grade,
    quantityKg: gramsToKg(lot.totalGrams),
    availableKg: gramsToKg(lot.availableGrams),
    reservedKg: gramsToKg(lot.reservedGrams),
    soldKg: gramsToKg(lot.soldGrams),
    minOrderKg: gramsToKg(lot.minOrderGrams),
    unitPriceFen: lot.unitPriceFen,
    harvestedOn: lot.harvestedOn,
    bestBefore: lot.bestBefore,
    coldChain: lot.coldChain,
    stalled: lot.stalled,
    certified: lot.certificateNo !== null,
    certificateNo: lot.certificateNo,
    regionCode: lot.regionCode,
    isPovertyCounty: lot.isPovertyCounty,
    isSupervisedCounty: lot.isSupervisedCounty,
    createdAt: lot.createdAt.toISOString(),
    updatedAt: lot.updatedAt.toISOString(),
    publishedAt: lot.publishedAt?.toISOString() ?? null,
    photos,
  };
}

/** The outbox event for a change of a lot; the matcher reads what it needs to (re)match from the payload. */
export function listingEvent(type: `listing.${string}`, lot: Listing, extra: Record<string, unknown> = {}): DomainEvent {
  return {
    type,
    aggregateType: 'listing',
    aggregateId: lot.id,
    payload: {
      listingId: lot.id,
      organizationId: lot.organizationId,
      status: lot.status,
      categoryCode: lot.categoryCode,
      regionCode: lot.regionCode,
      availableGrams: lot.availableGrams,
      reservedGrams: lot.reservedGrams,
      unitPriceFen: lot.unitPriceFen,
      bestBefore: lot.bestBefore,
      coldChain: lot.coldChain,
      stalled: lot.stalled,
      isPovertyCounty: lot.isPovertyCounty,
      isSupervisedCounty: lot.isSupervisedCounty,
      ...extra,
    },
  };
}
