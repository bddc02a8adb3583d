import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'chanxiao:isPublic';

/** Marks a route that needs no access token (login, register, health, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
