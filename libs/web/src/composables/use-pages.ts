import { ref, type Ref } from 'vue';

/** One page of an API collection (`{ items, nextCursor }`). */
export interface PageOf<T> {
  items: T[];
  nextCursor: string | null;
}

/** Fetches one page of a source, after `cursor` (null for the first page). */
export type PageSource<T> = (cursor: string | null) => Promise<PageOf<T>>;

/**
 * A list screen's pages for Vant's `<List>`: `items`, `loading`, `finished`, `error`, `loadMore()` (bind to
 * `@load`) and `reset()` (when a tab or filter changes). Several sources (one API query per status, say) are read
 * side by side and merged newest first by `createdAt`, so a tab can show more than one status of a collection
 * that filters on one. A source that needs more of its answer than the items (a total) keeps it itself.
 * `keepOrder` keeps one source's own order instead (search results by urgency, price, relevance).
 */
export function usePages<T extends { id: string; createdAt: string }>(sources: () => PageSource<T>[], { keepOrder = false } = {}) {
  const items = ref([]) as Ref<T[]>;
  const loading = ref(false);
  const finished = ref(false);
  const error = ref(false);
  let current: PageSource<T>[] = [];
  let cursors: Array<string | null | undefined> = [];
  let generation = 0;
  let started = false;

  function reset(): void {
    started = true;
    generation++;
    current = sources();
    cursors = current.map(() => undefined); // undefined: not read yet; null: no more pages
    items.value = [];
    finished.value = false;
    error.value = false;
    loading.value = false;
  }

  async function loadMore(): Promise<void> {
    if (!started) reset();
    const mine = generation;
    loading.value = true;
    try {
      const pending = current.map((source, i) => (cursors[i] === null ? null : source(cursors[i] ?? null)));
      const pages = await Promise.all(pending);
      if (mine !== generation) return; // the tab changed while this was on its way
      pages.forEach((page, i) => {
        if (page) cursors[i] = page.nextCursor;
      });
      const seen = new Set(items.value.map((item) => item.id));
      const fresh = pages.flatMap((page) => page?.items ?? []).filter((item) => !seen.has(item.id));
      const merged = [...items.value, ...fresh];
      items.value = keepOrder ? merged : merged.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      finished.value = cursors.every((cursor) => cursor === null);
    } catch {
      if (mine === generation) error.value = true;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Puts a changed item in place (after accepting, confirming, …), or drops it when `keep` says it left the list. */
  function replace(item: T, keep = true): void {
    items.value = keep ? items.value.map((existing) => (existing.id === item.id ? item : existing)) : items.value.filter((existing) => existing.id !== item.id);
  }

  return { items, loading, finished, error, loadMore, reset, replace };
}
