import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ok } from '@chanxiao/web/api';
import { api, type Category } from '../../api/client';

// The taxonomy changes only by migration: read once per page load, shared by every screen that names produce.
const all = ref<Category[]>([]);
let loading: Promise<void> | null = null;

/** The produce taxonomy (大类 › 品类), loaded once, with names in the chosen language. */
export function useCategories() {
  const { locale } = useI18n();
  const error = ref('');

  function load(): Promise<void> {
    error.value = '';
    loading ??= ok(api.GET('/api/v1/categories'))
      .then((answer) => {
        all.value = answer.items;
      })
      .catch((e: Error) => {
        loading = null;
        error.value = e.message;
      });
    return loading;
  }

  const nameOf = (category: Category) => (locale.value === 'en' ? category.nameEn : category.nameZh);
  const byCode = computed(() => new Map(all.value.map((c) => [c.code, c])));
  /** `水果 / 苹果` for a leaf code; the code itself while the taxonomy is loading. */
  function label(code: string): string {
    const leaf = byCode.value.get(code);
    if (!leaf) return code;
    const parent = leaf.parentCode ? byCode.value.get(leaf.parentCode) : undefined;
    return parent ? `${nameOf(parent)} / ${nameOf(leaf)}` : nameOf(leaf);
  }
  /** Top-level groups with their leaves, in the server's order. */
  const tree = computed(() =>
    all.value.filter((c) => c.parentCode === null).map((group) => ({ group, leaves: all.value.filter((c) => c.parentCode === group.code) })),
  );

  return { categories: all, tree, error, load, label, nameOf, byCode };
}
