// The one-word answers to a draft summary (SPEC §10), en/de/fr.
import { describe, expect, it } from 'vitest';
import { draftWordOf } from '../../src/mail/inbound/draft-words.js';

describe('draftWordOf', () => {
  it.each([
    ['send', 'send'], ['Yes!', 'send'], ['OK, thanks', 'send'], ['ja', 'send'], ['Senden bitte', 'send'], ['oui', 'send'], ['Envoyer.', 'send'],
    ['cancel', 'cancel'], ['Abbrechen', 'cancel'], ['annuler', 'cancel'],
    ['help', 'help'], ['Hilfe?', 'help'], ['aide', 'help'],
    ['\n\n  send  \n\nOn Monday calndro wrote:\n> 1. Tue', 'send'],
  ])('%j → %s', (text, word) => {
    expect(draftWordOf(text)).toBe(word);
  });

  it.each([
    ['Tue 11 Mar 14:00'],
    ['yes but please make it Friday at three instead'],
    ['sending you my times'],
    [''],
  ])('%j is no command word (read as times, or not understood)', (text) => {
    expect(draftWordOf(text)).toBeNull();
  });

  it('is null for a missing text', () => {
    expect(draftWordOf(null)).toBeNull();
  });
});
