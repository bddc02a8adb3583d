import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { pgPool, preparedQuery } from '../db/database';
import { uuidOrNone } from '../http/cursor.util';
import type { UserRole } from './principal';

/** What the database says about a token's user now. */
export interface TokenState {
  organizationId: string;
  role: UserRole;
  tokenVersion: number;
}

const SQL = 'SELECT organization_id, role, token_version FROM users WHERE id = $1';

/**
 * Reads, for the auth guard, the user's row behind a token: gone (a removed member), or its current role and
 * `token_version` (bumped when the password changes, which revokes every older token). One primary-key lookup as
 * a named prepared statement on the app's pool: PostgreSQL is the only place that knows the version exactly at
 * the moment it commits (why not a Redis copy: docs/architecture.md, "Roles, members and sessions").
 */
@Injectable()
export class TokenStateReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(userId: string): Promise<TokenState | null> {
    const [row] = await preparedQuery<{ organization_id: string; role: UserRole; token_version: number }>(pgPool(this.dataSource), 'auth_token_state', SQL, [uuidOrNone(userId)]);
    return row ? { organizationId: row.organization_id, role: row.role, tokenVersion: row.token_version } : null;
  }
}
