import { reactive, ref } from 'vue';
import { ApiError } from '../api';

/**
 * One form's submission: `submitting` (bind the button's loading/disabled, so it cannot send twice), the API's
 * `details[].field` problems by field (show each under its field), and `formError` for the rest.
 */
export function useSubmit() {
  const submitting = ref(false);
  const errors = reactive<Record<string, string>>({});
  const formError = ref('');

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key];
    formError.value = '';
  }

  async function submit<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (submitting.value) return undefined;
    submitting.value = true;
    clear();
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) {
        for (const d of error.details) errors[d.field] ??= d.message;
        if (error.details.length === 0) formError.value = error.message;
      } else {
        formError.value = (error as Error).message;
      }
      return undefined;
    } finally {
      submitting.value = false;
    }
  }

  return { submitting, errors, formError, submit, clear };
}
