import { Foundation1763884800000 } from './1763884800000-foundation';
import { LoadReferenceData1763884800001 } from './1763884800001-load-reference-data';
import { Listings1763971200000 } from './1763971200000-listings';
import { ListingImports1763971200001 } from './1763971200001-listing-imports';
import { ListingSearch1764057600000 } from './1764057600000-listing-search';
import { Demands1764057600001 } from './1764057600001-demands';
import { Orders1764057600002 } from './1764057600002-orders';
import { OutboxNotify1764144000000 } from './1764144000000-outbox-notify';
import { Proposals1764230400000 } from './1764230400000-proposals';
import { Payments1764400000000 } from './1764400000000-payments';
import { Reporting1764300000000 } from './1764300000000-reporting';
import { Assistance1764500000000 } from './1764500000000-assistance';
import { ListingPhotos1764600000000 } from './1764600000000-listing-photos';
import { OrganizationAccounts1764700000000 } from './1764700000000-organization-accounts';
import { ListingSearch1764800000000 } from './1764800000000-listing-search';
import { OrderNumbers1764900000000 } from './1764900000000-order-numbers';

/** Every migration, in order. New migrations are appended here (the list is explicit so it works from ts and js alike). */
export const MIGRATIONS = [
  Foundation1763884800000,
  LoadReferenceData1763884800001,
  Listings1763971200000,
  ListingImports1763971200001,
  ListingSearch1764057600000,
  Demands1764057600001,
  Orders1764057600002,
  OutboxNotify1764144000000,
  Proposals1764230400000,
  Payments1764400000000,
  Reporting1764300000000,
  Assistance1764500000000,
  ListingPhotos1764600000000,
  OrganizationAccounts1764700000000,
  ListingSearch1764800000000,
  OrderNumbers1764900000000,
];
