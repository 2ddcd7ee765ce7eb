/** The container states --container-state understands; `all` (the default) means no filter. */
export const CONTAINER_STATES = ['running', 'waiting', 'terminated', 'all'] as const;
