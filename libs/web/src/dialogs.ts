import { showConfirmDialog, showFailToast } from 'vant';
import { ApiError } from './api';

/** Asks before an action (Vant's confirm dialog): true when the person confirmed. */
export function ask(options: { title: string; message?: string; confirm: string; cancel: string; danger?: boolean }): Promise<boolean> {
  return showConfirmDialog({
    title: options.title,
    ...(options.message ? { message: options.message } : {}),
    confirmButtonText: options.confirm,
    cancelButtonText: options.cancel,
    ...(options.danger ? { confirmButtonColor: '#c8102e' } : {}),
  }).then(() => true, () => false);
}

/** Shows why an action failed (the API's message, in the page's language), wrapped to fit a phone. */
export function showError(error: unknown): void {
  showFailToast({ message: error instanceof ApiError ? error.message : (error as Error).message, wordBreak: 'break-word' });
}
