/**
 * How a line's timestamp is shown, decided once per run from `-t` and `--timezone`: the kubelet's
 * own text (no parse at all), or the time reformatted in a layout and zone.
 */
import type { TimestampStyle } from './choices.js';
import { formatLayout, LOCAL, parseInstant, RFC3339_NANO_FIXED, SHORT, type Zone } from './timefmt.js';
import { shortTimestamp } from './timestamps.js';

/** buf[lineStart, tsEnd) is the kubelet's RFC3339Nano timestamp → the text to show */
export type StampText = (buf: Buffer, lineStart: number, tsEnd: number) => string;

/** the kubelet's own text: what -t default shows without --timezone */
export const KUBELET_TEXT: StampText = (buf, lineStart, tsEnd) => buf.toString('latin1', lineStart, tsEnd);

/**
 * `-t default` (or no -t): the kubelet's text, unless a zone is given: then RFC3339 with nine
 * fraction digits in that zone, as stern prints it. `-t short`: `01-02 15:04:05` in the zone
 * (local time without --timezone).
 */
export function stampText(style: TimestampStyle | false, zone: Zone | undefined): StampText {
  if (style === 'short') {
    if (zone === undefined || zone === LOCAL) return (buf, s, e) => shortTimestamp(buf.toString('latin1', s, e));
    return reformat(SHORT, zone);
  }
  return zone === undefined ? KUBELET_TEXT : reformat(RFC3339_NANO_FIXED, zone);
}

function reformat(layout: string, zone: Zone): StampText {
  return (buf, s, e) => {
    const text = buf.toString('latin1', s, e);
    const t = parseInstant(text);
    return t === undefined ? text : formatLayout(t, layout, zone);
  };
}
