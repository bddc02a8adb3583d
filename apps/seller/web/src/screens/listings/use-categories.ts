import { ok } from '@chanxiao/web/api';
import { createCategories } from '@chanxiao/web/categories';
import { api } from '../../api/client';

/** The seller app's produce taxonomy, loaded once (see `createCategories`). */
export const useCategories = createCategories(async () => (await ok(api.GET('/api/v1/categories'))).items);
