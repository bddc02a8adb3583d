import { zh } from '../../i18n/messages/orders';

/**
 * The common carriers the ship form offers, as they are recorded on the order: by their Chinese names whatever
 * the page's language (the buyer reads the same name), with the key of their label under `orders.carriers`.
 */
export const CARRIERS = Object.entries(zh.orders.carriers).map(([key, name]) => ({ key, name }));
