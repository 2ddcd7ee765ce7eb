/**
 * Go's number types as templates meet them: a plain JS number is an int (template constants such
 * as `3`, len), a GoFloat a float64 (parseJSON's numbers, constants such as `1.5`), a JsonNumber
 * the json.Number of tryParseJSON. They print differently in Go (`1e+06` for a float64 million).
 */

/** A float64 (numbers of parseJSON, constants such as `1.5` or `1e3`); plain JS numbers are Go ints. */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** Go's json.Number (tryParseJSON): a string type holding the number's own text. */
export class JsonNumber {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** fmt's %v of a float64 (strconv's 'g', shortest): an exponent from 1e+06 up and below 1e-04. */
export function formatFloatV(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${goExp(exp)}`;
  return String(f);
}

export function goExp(exp: number): string {
  const abs = Math.abs(exp);
  return `${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}
