// SPEC §10: candidate times in German, relative to Sunday 9 March 2031 (Berlin).
import { describe, expect, it } from 'vitest';
import { read, slots } from './read.js';

describe('German times', () => {
  it.each([
    ['Dienstag um 15 Uhr', '2031-03-11T14:00:00Z 01:00:00'],
    ['am 12. März 9:30–10:15', '2031-03-12T08:30:00Z 00:45:00'],
    ['Freitag, 14. März, 10–11 Uhr', '2031-03-14T09:00:00Z 01:00:00'],
    ['morgen um 9', '2031-03-10T08:00:00Z 01:00:00'],
    ['heute um 15 Uhr', '2031-03-09T14:00:00Z 01:00:00'],
    ['morgen um 9 für 30 Minuten', '2031-03-10T08:00:00Z 00:30:00'],
    ['Mittwoch 14:00 für 1,5 Stunden', '2031-03-12T13:00:00Z 01:30:00'],
    ['Mittwoch 14:00 (eine Stunde)', '2031-03-12T13:00:00Z 01:00:00'],
    ['11.03.2031 14:00', '2031-03-11T13:00:00Z 01:00:00'],
    ['Do, 13.03. 16:30', '2031-03-13T15:30:00Z 01:00:00'],
    ['Donnerstag 13. März 2031 von 14 bis 16 Uhr', '2031-03-13T13:00:00Z 02:00:00'],
    ['12. März 9:30', '2031-03-12T08:30:00Z 01:00:00'],
  ])('%s', (text, expected) => {
    expect(read(text).unreadable).toEqual([]);
    expect(slots(text)).toEqual([expected]);
  });

  it('gives a list of days the one time they share', () => {
    expect(slots('Dienstag oder Mittwoch um 10 Uhr')).toEqual(['2031-03-11T09:00:00Z 01:00:00', '2031-03-12T09:00:00Z 01:00:00']);
  });

  it('reads a deadline line', () => {
    expect(read('Dienstag um 15 Uhr\nbis Freitag 12 Uhr').respondBy).toEqual(new Date('2031-03-14T11:00:00Z'));
    expect(read('Frist: 13. März 18 Uhr').respondBy).toEqual(new Date('2031-03-13T17:00:00Z'));
    expect(read('Bitte antworten bis 13. März 18:00').respondBy).toEqual(new Date('2031-03-13T17:00:00Z'));
  });

  it('skips greetings and reports what looks like a time but is none', () => {
    const r = read('Hallo zusammen,\nwie wäre es mit:\nDienstag um 15 Uhr\nDienstag um 26 Uhr\nViele Grüße\nAnna');
    expect(slots('Hallo zusammen,\nwie wäre es mit:\nDienstag um 15 Uhr\nViele Grüße\nAnna')).toEqual(['2031-03-11T14:00:00Z 01:00:00']);
    expect(r.unreadable).toEqual(['Dienstag um 26 Uhr']);
  });
});

describe('a range past midnight in 24-hour notation', () => {
  it('ends at the written hour the next day, not twelve hours later', () => {
    expect(slots('12. März von 23 bis 1 Uhr')).toEqual(['2031-03-12T22:00:00Z 02:00:00']);
  });
});
