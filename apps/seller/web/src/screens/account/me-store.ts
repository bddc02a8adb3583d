import { ref } from 'vue';
import { ok } from '@chanxiao/web/api';
import { api, type Me, session } from '../../api/client';

/**
 * Who is logged in (`GET /me`), kept while the token is the same so the account screens do not ask again on
 * every visit; another token (a new login, a changed password) reads it afresh.
 */
export const me = ref<Me | null>(null);
let loadedFor: string | null = null;

export async function loadMe(force = false): Promise<Me> {
  if (!force && me.value && loadedFor === session.token) return me.value;
  const token = session.token;
  const data = await ok(api.GET('/api/v1/me'));
  me.value = data;
  loadedFor = token;
  return data;
}

/** Forgets who was logged in (logout). */
export function forgetMe(): void {
  me.value = null;
  loadedFor = null;
}
