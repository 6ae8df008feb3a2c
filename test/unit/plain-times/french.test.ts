// SPEC §10: candidate times in French, relative to Sunday 9 March 2031 (Paris).
import { describe, expect, it } from 'vitest';
import { read, slots } from './read.js';

const PARIS = 'Europe/Paris';

describe('French times', () => {
  it.each([
    ['mardi à 15h', '2031-03-11T14:00:00Z 01:00:00'],
    ['le 12 mars de 9h30 à 10h15', '2031-03-12T08:30:00Z 00:45:00'],
    ['vendredi 14 mars de 10h à 11h30', '2031-03-14T09:00:00Z 01:30:00'],
    ['demain à 9h', '2031-03-10T08:00:00Z 01:00:00'],
    ['demain à 9h pendant 1h30', '2031-03-10T08:00:00Z 01:30:00'],
    ['jeudi 13 mars à 16h pendant 45 minutes', '2031-03-13T15:00:00Z 00:45:00'],
    ['jeudi à 14h (une demi-heure)', '2031-03-13T13:00:00Z 00:30:00'],
    ['le 13/03/2031 à 14h30', '2031-03-13T13:30:00Z 01:00:00'],
  ])('%s', (text, expected) => {
    expect(read(text, PARIS).unreadable).toEqual([]);
    expect(slots(text, PARIS)).toEqual([expected]);
  });

  it('gives a list of days the one time they share', () => {
    expect(slots('mardi ou mercredi à 10h', PARIS)).toEqual(['2031-03-11T09:00:00Z 01:00:00', '2031-03-12T09:00:00Z 01:00:00']);
  });

  it('reads a deadline line', () => {
    expect(read('avant le 13 mars 18h', PARIS).respondBy).toEqual(new Date('2031-03-13T17:00:00Z'));
    expect(read('date limite : 13 mars à 12h', PARIS).respondBy).toEqual(new Date('2031-03-13T11:00:00Z'));
  });

  it('skips greetings and signatures', () => {
    const r = read('Bonjour à tous,\nje propose :\nmardi à 15h\nMerci !\nCordialement,\nMarie', PARIS);
    expect(r.unreadable).toEqual([]);
    expect(r.slots).toHaveLength(1);
  });
});

describe('a range past midnight in 24-hour notation', () => {
  it('ends at the written hour the next day, not twelve hours later', () => {
    expect(slots('le 12 mars de 23h à 1h', PARIS)).toEqual(['2031-03-12T22:00:00Z 02:00:00']);
  });
});
