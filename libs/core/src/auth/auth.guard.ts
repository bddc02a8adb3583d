import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../errors/domain-error';
import { type AccessTokenClaims, type AppKind, principalFromClaims, type Principal } from './principal';
import { IS_PUBLIC } from './public.decorator';

export const APP_KIND = Symbol('APP_KIND');

/**
 * Global guard: every route needs a valid Bearer token issued for this app, unless marked {@link Public}.
 * It gives the request its {@link Principal}, so services always know the caller's organisation.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(APP_KIND) private readonly appKind: AppKind | 'matcher' | 'cli',
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) {
      throw new DomainError('unauthorized', 'auth.missing_token', 'an access token is required (Authorization: Bearer <token>)');
    }
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new DomainError('unauthorized', 'auth.invalid_token', 'the access token is invalid or has expired');
    }
    if (claims.kind !== this.appKind) {
      throw new DomainError('unauthorized', 'auth.wrong_app', `this token was issued for the ${claims.kind} app, not the ${this.appKind} app`);
    }
    request.principal = principalFromClaims(claims);
    return true;
  }
}
