import { DomainError } from '@chanxiao/core';
import { type IdentityService, usccCheckCharacter } from '@chanxiao/identity';
import { DEMO_AGENCY_USERS, DEMO_BUYERS, DEMO_PASSWORD, DEMO_SELLERS } from './demo-data';

const uscc = (type: '91' | '93', regionCode: string, body: string) => `${type}${regionCode}${body}${usccCheckCharacter(`${type}${regionCode}${body}`)}`;

/**
 * Registers the demo organisations through the same service the API uses. Already-registered ones
 * (same phone or credit code) are skipped, so running it twice changes nothing.
 */
export async function seedDemo(identity: IdentityService): Promise<string[]> {
  const lines: string[] = [];
  const attempt = async (label: string, work: () => Promise<unknown>) => {
    try {
      await work();
      lines.push(`created  ${label}`);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'identity.already_registered') lines.push(`exists   ${label}`);
      else throw error;
    }
  };
  for (const s of DEMO_SELLERS) {
    await attempt(`seller ${s.phone} ${s.name}`, () =>
      identity.register({
        kind: 'seller',
        organization: { name: s.name, creditCode: uscc('93', s.regionCode, s.usccBody), regionCode: s.regionCode, contactPhone: s.phone, povertyHouseholds: s.povertyHouseholds },
        user: { phone: s.phone, password: DEMO_PASSWORD, name: s.contact },
      }),
    );
  }
  for (const b of DEMO_BUYERS) {
    await attempt(`buyer  ${b.phone} ${b.name} (${b.buyerType})`, () =>
      identity.register({
        kind: 'buyer',
        organization: { name: b.name, creditCode: uscc('91', b.regionCode, b.usccBody), regionCode: b.regionCode, contactPhone: b.phone, buyerType: b.buyerType },
        user: { phone: b.phone, password: DEMO_PASSWORD, name: b.contact },
      }),
    );
  }
  for (const a of DEMO_AGENCY_USERS) {
    await attempt(`agency ${a.phone} ${a.name} (${a.officeName}, ${a.regionCode})`, () =>
      identity.createAgencyUser({ phone: a.phone, password: DEMO_PASSWORD, name: a.name, regionCode: a.regionCode, officeName: a.officeName }),
    );
  }
  lines.push(`every demo user logs in with password ${DEMO_PASSWORD}`);
  return lines;
}
