// A screen is a list of lines; a line is a few styled segments. Views are pure
// functions of the state, so what a screen says is tested without a terminal.
import type { Theme, Tone } from '../theme.js';

export interface Seg {
  text: string;
  tone?: Tone;
  inverse?: boolean;
  bold?: boolean;
  /** Drawn as an activity spinner (one column) where the frame allows it; never on a serial line. */
  spinner?: true;
}

export type Line = Seg[];

export const L = (text: string, tone?: Tone): Line => [{ text, ...(tone ? { tone } : {}) }];
export const blank: Line = [{ text: '' }];

export interface ViewCtx {
  theme: Theme;
  width: number;
  /** Lines available to the body. */
  height: number;
}

/** Word-wrap a text to width, each line indented. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let cur = indent;
    for (const w of para.split(/\s+/).filter(Boolean)) {
      if (cur.length + w.length + 1 > width && cur.trim() !== '') {
        out.push(cur);
        cur = indent;
      }
      cur += (cur.trim() === '' ? '' : ' ') + w;
    }
    out.push(cur);
  }
  return out;
}

/** Wrapped at spaces, and inside a word only when one word is longer than the line (paths). */
export function hardWrap(text: string, width: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    const at = cut > width / 2 ? cut : width;
    out.push(rest.slice(0, at));
    rest = `  ${rest.slice(at).trimStart()}`;
  }
  out.push(rest);
  return out;
}
