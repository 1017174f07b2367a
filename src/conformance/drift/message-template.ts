/**
 * @module conformance/drift/message-template
 * Two services word the same failure differently, and each fills in its own details. To compare wording rather
 * than details, the messages one service gave for one kind of failure are reduced to a template: the request's own
 * values become placeholders ({email}, {method}, {path}, {received}), and what still varies between the messages
 * becomes {detail} (the words they share before and after it stay).
 *
 * What varies is often another program's words: a JSON parser's message, whose wording differs from engine to engine
 * ("… at position 51" on Node 20, "… at position 51 (line 1 column 52)" on Node 24). A template must not keep a piece
 * of it, so {detail} starts after the last colon of the shared words, and takes in any bracket they would leave
 * half-open (the parser's closing ")" is not the service's).
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
  let prefix = commonPrefix(tokens);
  let suffix = commonPrefix(tokens.map((t) => t.slice(prefix.length).reverse())).reverse();
  // What follows a colon in the shared words is the detail ("Malformed JSON: Expected …"): words the samples happen to
  // share after it are the detail's own.
  const colon = prefix.map((token) => /:$/.test(token)).lastIndexOf(true);
  if (colon >= 0) prefix = prefix.slice(0, colon + 1 + (/^\s+$/.test(prefix[colon + 1] ?? "") ? 1 : 0));
  // The shared words stay only if their brackets close among themselves: a ")" after {detail} that closes nothing
  // before it closes the parser's "(line 1 column 52".
  while (suffix.length > 0 && !balanced([...prefix, ...suffix])) suffix = suffix.slice(1);
  while (prefix.length > 0 && !balanced([...prefix, ...suffix])) prefix = prefix.slice(0, -1);
  return [...prefix, "{detail}", ...suffix].join("");
}

const PAIRS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Every (, [ and { closed, in order, and nothing closed that was not opened. */
function balanced(tokens: readonly string[]): boolean {
  const open: string[] = [];
  for (const char of tokens.join("")) {
    if (char === "(" || char === "[" || char === "{") open.push(char);
    else if (PAIRS[char] !== undefined && open.pop() !== PAIRS[char]) return false;
  }
  return open.length === 0;
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
