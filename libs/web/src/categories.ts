import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';

/** What the web apps use of a category of the produce taxonomy as `GET /categories` answers it (each app's schema.d.ts types it). */
export interface Category {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  perishability: 'high' | 'medium' | 'low';
  typicalShelfLifeDays: number;
  coldChainRequired: boolean;
}

/** What a screen (and {@link CategoryField}) uses of the taxonomy. */
export type CategorySource = ReturnType<ReturnType<typeof createCategories>>;

/**
 * The produce taxonomy (大类 › 品类) of one app, read once per page load through `fetchAll` (the app's own
 * `GET /api/v1/categories`) and shared by every screen that names produce; `useCategories()` gives the names in
 * the chosen language.
 */
export function createCategories(fetchAll: () => Promise<Category[]>) {
  // The taxonomy changes only by migration.
  const all = ref<Category[]>([]);
  let loading: Promise<void> | null = null;

  return function useCategories() {
    const { locale } = useI18n();
    const error = ref('');

    function load(): Promise<void> {
      error.value = '';
      loading ??= fetchAll()
        .then((items) => {
          all.value = items;
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
  };
}
