/**
 * @module conformance/drift/message-template
 * Two services word the same failure differently, and each fills in its own details. To compare wording rather
 * than details, the messages one service gave for one kind of failure are reduced to a template: the request's own
 * values become placeholders ({email}, {method}, {path}, {received}), and what still varies between the messages
 * becomes {detail} (the words they share before and after it stay).
 */

export interface MessageSample {
  text: string;
  /** The request's values that a message may repeat. */
  values: Readonly<Record<string, string | undefined>>;
}

/** The template a set of messages of one kind follows. */
export function templateOf(samples: readonly MessageSample[]): string | undefined {
  const texts = [...new Set(samples.map(normalize))];
  if (texts.length === 0) return undefined;
  if (texts.length === 1) return texts[0];
  const tokens = texts.map(tokenize);
  const prefix = commonPrefix(tokens);
  const suffix = commonPrefix(tokens.map((t) => t.slice(prefix.length).reverse())).reverse();
  return [...prefix, "{detail}", ...suffix].join("");
}

/** The message with the request's own values put back as placeholders. */
export function normalize(sample: MessageSample): string {
  let text = sample.text;
  // Longest values first, so a value inside another is not replaced in the middle of it.
  const values = Object.entries(sample.values)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].length >= 3)
    .sort((a, b) => b[1].length - a[1].length);
  for (const [name, value] of values) text = text.split(value).join(`{${name}}`);
  return text;
}

/** Words, runs of punctuation and runs of spaces: "(received text/plain)" → "(", "received", " ", "text", "/", "plain", ")". */
function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]+/gu) ?? [];
}

function commonPrefix(lists: readonly string[][]): string[] {
  const first = lists[0] ?? [];
  let n = 0;
  while (n < first.length && lists.every((l) => l[n] === first[n])) n++;
  return first.slice(0, n);
}
