import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../errors/domain-error';
import { ADMIN_ONLY } from './admin-only.decorator';
import { type AccessTokenClaims, type AppKind, principalFromClaims, type Principal } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { TokenStateReader } from './token-state.reader';

export const APP_KIND = Symbol('APP_KIND');

/**
 * Global guard: every route needs a valid Bearer token issued for this app, unless marked {@link Public}.
 * It gives the request its {@link Principal}, so services always know the caller's organisation. A token whose
 * user is gone (a removed member) or whose `ver` is older than the user's `token_version` (the password changed)
 * is refused; routes marked {@link AdminOnly} refuse every role but `admin`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(APP_KIND) private readonly appKind: AppKind | 'matcher' | 'cli',
    private readonly tokens: TokenStateReader,
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
    const state = await this.tokens.read(claims.sub);
    if (!state || state.organizationId !== claims.org) {
      throw new DomainError('unauthorized', 'auth.user_gone', 'the user of this token no longer exists');
    }
    if ((claims.ver ?? 0) !== state.tokenVersion) {
      throw new DomainError('unauthorized', 'auth.token_revoked', 'this access token was revoked (the password was changed); log in again');
    }
    request.principal = { ...principalFromClaims(claims), role: state.role };
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [context.getHandler(), context.getClass()]) && state.role !== 'admin') {
      throw new DomainError('forbidden', 'organization.admin_only', 'only an admin of the organisation may do this');
    }
    return true;
  }
}
