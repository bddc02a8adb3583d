import type { OverlayProps } from 'vant';

/**
 * Props for a Vant popup's overlay that give it an accessible name. The overlay closes the popup when tapped, so
 * axe asks for a name; Vant passes unknown attributes through to the overlay's element, though its type does not
 * list them.
 */
export function namedOverlay(name: string): Partial<OverlayProps> {
  return { 'aria-label': name } as Partial<OverlayProps>;
}

/**
 * Names the parts of a Vant stepper inside `root` (its − / + buttons have no text and its input no label), so a
 * screen reader says what they change: `input` names the box, `minus` / `plus` the buttons.
 */
export function nameStepper(root: ParentNode | null | undefined, names: { input: string; minus: string; plus: string }): void {
  root?.querySelector('.van-stepper__input')?.setAttribute('aria-label', names.input);
  root?.querySelector('.van-stepper__minus')?.setAttribute('aria-label', names.minus);
  root?.querySelector('.van-stepper__plus')?.setAttribute('aria-label', names.plus);
}
