/**
 * Answers the buyer app's OpenAPI document does not describe yet (the assistance controllers declare no response
 * type, so schema.d.ts types them as no content). These are the server's shapes (libs/assistance `PoolView`,
 * `PledgeProgressView`); once the controllers declare response types, `npm run gen:api` and use `Schemas[…]`.
 */
export interface Pool {
  id: string;
  status: 'open' | 'filled' | 'failed';
  categoryCode: string;
  destinationRegionCode: string;
  maxUnitPriceFen: number;
  deliverBy: string;
  joinBy: string;
  coldChainCapable: boolean;
  preferPoverty: boolean;
  targetKg: number;
  joinedKg: number;
  remainingKg: number;
  members: number;
  demandId: string | null;
  organizer: boolean;
  membership: { quantityKg: number; allocatedKg: number; status: 'joined' | 'released' } | null;
  createdAt: string;
  closedAt: string | null;
}

export interface PledgeProgress {
  year: number;
  asOf: string;
  pledge: { amountFen: number } | null;
  progress: {
    countedFen: number;
    countedKg: number;
    shareOfPledge: number | null;
    supervisedFen: number;
    behindSchedule: boolean | null;
  };
}
