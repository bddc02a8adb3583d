import { type Ref, ref } from 'vue';
import type { Session } from './api';

/**
 * Who is logged in (`GET /me` through `fetchMe`), kept while the token is the same so the account screens do not
 * ask again on every visit; another token (a new login, a changed password) reads it afresh.
 */
export function createMeStore<Me>(session: Session, fetchMe: () => Promise<Me>) {
  const me = ref(null) as Ref<Me | null>;
  let loadedFor: string | null = null;

  async function loadMe(force = false): Promise<Me> {
    if (!force && me.value && loadedFor === session.token) return me.value;
    const token = session.token;
    const data = await fetchMe();
    me.value = data;
    loadedFor = token;
    return data;
  }

  /** Forgets who was logged in (logout). */
  function forgetMe(): void {
    me.value = null;
    loadedFor = null;
  }

  return { me, loadMe, forgetMe };
}
