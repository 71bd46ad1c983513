// Colour for a terminal, and none for a pipe, a file or a test: every renderer takes a Style,
// and `plain` returns the text untouched, so golden tests compare the words only.

export interface Style {
  good(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const identity = (text: string): string => text;

export const plain: Style = { good: identity, bad: identity, warn: identity, dim: identity, bold: identity };

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;

export const ansi: Style = {
  good: sgr(32, 39),
  bad: sgr(31, 39),
  warn: sgr(33, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

/**
 * Colour only for a terminal, never when NO_COLOR is set (no-color.org) or --no-color is given:
 * scripts that parse the output must not see escape sequences.
 */
export function styleFor(isTty: boolean, env: Record<string, string | undefined>, noColorFlag: boolean): Style {
  if (!isTty || noColorFlag || (env['NO_COLOR'] ?? '') !== '') return plain;
  return ansi;
}

/** A verdict word in its colour: Successful/True/ready green, Failed/False red, the rest yellow. */
export function verdict(style: Style, word: string): string {
  if (/^(Successful|True|Healthy|ready|Running)$/.test(word)) return style.good(word);
  if (/^(Failed|False|Degraded|Invalid|not ready|CrashLoopBackOff|Error)$/.test(word)) return style.bad(word);
  return style.warn(word);
}
