import { ok } from '@chanxiao/web/api';
import { createMeStore } from '@chanxiao/web/me-store';
import { api, session } from '../../api/client';

/** Who is logged in to the buyer app (see `createMeStore`). */
export const { me, loadMe, forgetMe } = createMeStore(session, () => ok(api.GET('/api/v1/me')));
