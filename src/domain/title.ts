// Generated titles for events created without one (the seed used pronounceable words).
const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'tr', 'pl', 'st'];
const VOWELS = ['a', 'e', 'i', 'o', 'u'];

export function pronounceableWord(random: () => number, syllables = 3): string {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  let word = '';
  for (let i = 0; i < syllables; i++) word += pick(ONSETS) + pick(VOWELS);
  return word.charAt(0).toUpperCase() + word.slice(1);
}
