import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** Which app a token was issued for; a seller's token does not open the buyer app. */
export type AppKind = 'seller' | 'buyer' | 'agency';

/** `admin` and `staff` belong to a seller or buyer organisation (only an admin changes its members and payout account). */
export type UserRole = 'admin' | 'staff' | 'agency_staff';

/** Who is calling: read from the verified access token and attached to every authenticated request. */
export interface Principal {
  userId: string;
  organizationId: string;
  kind: AppKind;
  /** The user's role as the database has it now (the guard reads it with the token version), not as the token says. */
  role: UserRole;
  /** The agency user's region scope (a province, city or county code); null for sellers and buyers. */
  regionCode: string | null;
}

/** The access token's claims. */
export interface AccessTokenClaims {
  sub: string;
  org: string;
  kind: AppKind;
  role: UserRole;
  region: string | null;
  /** The user's token generation when the token was issued (`users.token_version`); absent on older tokens, read as 0. */
  ver?: number;
}

export const principalFromClaims = (claims: AccessTokenClaims): Principal => ({
  userId: claims.sub,
  organizationId: claims.org,
  kind: claims.kind,
  role: claims.role,
  regionCode: claims.region,
});

/** Injects the caller's {@link Principal} into a controller method. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});
