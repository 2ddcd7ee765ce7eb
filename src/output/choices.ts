/** The words the output stage understands; the flag table offers and checks exactly these. */
export const COLOR_MODES = ['auto', 'always', 'never'] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

/** --palette: the built-in pod colours; `colorblind` stays apart for colour-blind readers (colors.ts) */
export const PALETTES = ['default', 'colorblind'] as const;
export type PaletteName = (typeof PALETTES)[number];

export const OUTPUT_FORMATS = ['default', 'raw', 'json', 'extjson', 'ppextjson'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** --ordered given without a window */
export const DEFAULT_ORDERED_WINDOW = '1s';

export const TIMESTAMP_STYLES = ['default', 'short'] as const;
export type TimestampStyle = (typeof TIMESTAMP_STYLES)[number];
