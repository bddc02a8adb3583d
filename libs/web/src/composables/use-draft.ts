import { reactive, watch } from 'vue';

/**
 * A form's draft kept in localStorage under `key`: a cooperative typing a lot on a weak village signal loses
 * nothing when the page reloads or the tab closes. `clear()` once the form is sent.
 */
export function useDraft<T extends object>(key: string, initial: () => T) {
  const storageKey = `chanxiao.draft.${key}`;
  let saved: Partial<T> = {};
  try {
    saved = JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Partial<T>;
  } catch {
    // a damaged draft is dropped
  }
  const draft = reactive({ ...initial(), ...saved }) as T;
  watch(draft, (value) => localStorage.setItem(storageKey, JSON.stringify(value)), { deep: true });
  return {
    draft,
    restored: Object.keys(saved).length > 0,
    clear(): void {
      localStorage.removeItem(storageKey);
      Object.assign(draft, initial());
      localStorage.removeItem(storageKey);
    },
  };
}
