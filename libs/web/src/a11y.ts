import type { OverlayProps } from 'vant';

/**
 * Props for a Vant popup's overlay that give it an accessible name. The overlay closes the popup when tapped, so
 * axe asks for a name; Vant passes unknown attributes through to the overlay's element, though its type does not
 * list them.
 */
export function namedOverlay(name: string): Partial<OverlayProps> {
  return { 'aria-label': name } as Partial<OverlayProps>;
}
