import { onBeforeUnmount, onMounted, ref } from 'vue';

/**
 * The current time as a ref that ticks every `intervalMs` while the component is mounted, for live countdowns
 * (`timeLeft(expiresAt, now.value)`). The timer stops when the component goes away.
 */
export function useNow(intervalMs = 30_000) {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    timer = setInterval(() => (now.value = Date.now()), intervalMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
