/** The container states --container-state understands; `all` (the default) means no filter. */
export const CONTAINER_STATES = ['running', 'waiting', 'terminated', 'all'] as const;
/** --events: which Events are shown (Warning only, or Normal too). */
export const EVENT_MODES = ['warning', 'all'] as const;
export type EventMode = (typeof EVENT_MODES)[number];
