import { Foundation1763884800000 } from './1763884800000-foundation';
import { LoadReferenceData1763884800001 } from './1763884800001-load-reference-data';
import { Listings1763971200000 } from './1763971200000-listings';

/** Every migration, in order. New migrations are appended here (the list is explicit so it works from ts and js alike). */
export const MIGRATIONS = [Foundation1763884800000, LoadReferenceData1763884800001, Listings1763971200000];
