import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';

export const ADMIN_ONLY = 'chanxiao:adminOnly';

/**
 * Marks a route only an organisation's `admin` may call (members, the payout account). The {@link AuthGuard} reads it
 * after it has the caller's current role and answers anyone else (`staff`) 403 `organization.admin_only`.
 */
export const AdminOnly = () =>
  applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiForbiddenResponse({ description: 'only an admin of the organisation may do this (`organization.admin_only`)' }));
