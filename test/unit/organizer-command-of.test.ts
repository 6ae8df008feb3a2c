// SPEC §10, §11: the one table of organizer commands, read from the reply's first line. The
// owner's reply may give any command; anyone else's only `book` and `remind` (the domain then
// tells them only the organizer may); a `remind` with words after it is prose, not a command.
import { describe, expect, it } from 'vitest';
import { organizerCommandOf } from '../../src/mail/inbound/organizer-door.js';
import { ORGANIZER_COMMANDS } from '../../src/domain/events/organizer-commands.js';

describe('organizerCommandOf', () => {
  it('help lists book N and remind beside the others', () => {
    expect(ORGANIZER_COMMANDS.map((c) => c.usage)).toEqual(expect.arrayContaining(['book N', 'remind', 'add <times>', 'remove N', 'cancel', 'help']));
  });

  it('reads the word, the rest of its line and all that follows', () => {
    expect(organizerCommandOf('Book 2\n\nThanks, Olivia', 'owner')).toEqual({ word: 'book', line: '2', rest: '2\n\nThanks, Olivia' });
    expect(organizerCommandOf('  book\n2', 'owner')).toEqual({ word: 'book', line: '', rest: '2' });
    expect(organizerCommandOf('remind\n\nthanks', 'owner')).toEqual({ word: 'remind', line: '', rest: 'thanks' });
    expect(organizerCommandOf('add March 14 at 10:00', 'owner')).toMatchObject({ word: 'add', rest: 'March 14 at 10:00' });
  });

  it('a party: book and remind are read (to be refused), cancel, add, remove and help are an answer', () => {
    expect(organizerCommandOf('book 2', 'other')).toMatchObject({ word: 'book' });
    expect(organizerCommandOf('remind', 'other')).toMatchObject({ word: 'remind' });
    for (const text of ['cancel', 'add Friday 3pm', 'remove 2', 'help']) expect(organizerCommandOf(text, 'other')).toBeNull();
  });

  it('no command: prose after remind, a word glued to a number, an unknown word, nothing', () => {
    for (const who of ['owner', 'other'] as const) {
      expect(organizerCommandOf('remind me on Friday 3pm', who)).toBeNull();
      expect(organizerCommandOf('book2', who)).toBeNull();
      expect(organizerCommandOf('booking is fine', who)).toBeNull();
      expect(organizerCommandOf('2, 3', who)).toBeNull();
      expect(organizerCommandOf(null, who)).toBeNull();
      expect(organizerCommandOf('constructor', who)).toBeNull();
    }
  });
});
