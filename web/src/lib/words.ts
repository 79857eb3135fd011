/** Words for the page's sentences (DOM-free): a count with its noun in the right number. */

/** "1 entry", "4 entries", "1 feature", "2 features": `count` and the noun for it. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
