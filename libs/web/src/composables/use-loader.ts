import { ref, type Ref } from 'vue';
import { ApiError } from '../api';

/** A screen's data: `loading`, `error` (a message) and `data`, reloaded by `load()`. */
export function useLoader<T>(fetcher: () => Promise<T>) {
  const data = ref<T>() as Ref<T | undefined>;
  const loading = ref(false);
  const error = ref('');
  async function load(): Promise<void> {
    loading.value = true;
    error.value = '';
    try {
      data.value = await fetcher();
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : (e as Error).message;
    } finally {
      loading.value = false;
    }
  }
  return { data, loading, error, load };
}
