// User-written text that is stored and shown again (titles, sender names, addresses): C0 and
// C1 control characters and DEL are refused. Stored, they reach terminals (the TUI prints log
// data) as escape sequences (ESC [ …, CSI 0x9B), and a tab or line break splits what is one line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Text free of them, as a schema pattern (shown in /openapi). */
export const NO_CONTROLS = /^[^\u0000-\u001f\u007f-\u009f]*$/;

export const CONTROL_MESSAGE = 'Must not contain control characters (tabs, line breaks, escape sequences).';

export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

/** For text that arrives where refusing is not possible (e-mail): controls dropped. */
export function stripControlChars(text: string): string {
  return text.replace(CONTROLS, '');
}
