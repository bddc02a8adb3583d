/** Every BullMQ queue, by name; job payloads are typed next to their processors. */
export enum QueueName {
  /** Periodic lot maintenance (expiry) and large spreadsheet imports. */
  Listings = 'listings',
}
