/** Table names the adapters use, by the logical ids of templates/data.yaml. */
export interface TableNames {
  events: string;
  reservations: string;
  pickupSlots: string;
  queueState: string;
  preferences: string;
}

/** logical id in templates/data.yaml → key of TableNames */
export const TABLE_LOGICAL_IDS: Record<string, keyof TableNames> = {
  EventsTable: 'events',
  ReservationsTable: 'reservations',
  PickupSlotsTable: 'pickupSlots',
  QueueStateTable: 'queueState',
  PreferencesTable: 'preferences',
};
