import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
// The same check the API runs (GB 32100-2015), so a mistyped code shows while it is typed.
import { usccProblem } from '../../../identity/src/uscc.util';

/**
 * A register form's 统一社会信用代码 as it is typed: the code (trimmed, upper case), its problem and the message
 * (`register.uscc.*` of the app), shown once all 18 characters are in, the field is left (`touched`) or there are
 * too many.
 */
export function useCreditCode(text: () => string) {
  const { t } = useI18n();
  const touched = ref(false);
  const creditCode = computed(() => text().trim().toUpperCase());
  const problem = computed(() => (creditCode.value ? usccProblem(creditCode.value) : null));
  const message = computed(() => {
    const p = problem.value;
    if (!p || (p === 'length' && creditCode.value.length < 18 && !touched.value)) return '';
    return t(`register.uscc.${p}`, { count: creditCode.value.length });
  });
  const valid = computed(() => creditCode.value.length === 18 && !problem.value);
  return { creditCode, problem, message, touched, valid };
}
