/**
 * The platform's fee on an order: `bps` basis points of the total, rounded half up to the fen, plus `fixedFen`,
 * never more than the total. Integer arithmetic throughout (BigInt: total × bps can pass 2^53).
 */
export function platformFeeFen(totalFen: number, bps: number, fixedFen: number): number {
  const proportional = Number((BigInt(totalFen) * BigInt(bps) + 5_000n) / 10_000n);
  return Math.min(totalFen, proportional + fixedFen);
}

/** What the seller of an order receives: the total minus the platform fee. */
export function payoutSplit(totalFen: number, bps: number, fixedFen: number): { orderTotalFen: number; platformFeeFen: number; amountFen: number } {
  const fee = platformFeeFen(totalFen, bps, fixedFen);
  return { orderTotalFen: totalFen, platformFeeFen: fee, amountFen: totalFen - fee };
}
