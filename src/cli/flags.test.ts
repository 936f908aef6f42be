/** checkExtraWords: a command's own hint for words beyond the ones it takes. */
import { describe, expect, it } from 'vitest';
import { checkExtraWords } from './flags.js';

const args = { path: { type: 'positional' }, playbook: { type: 'string' } };

function messageOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('checkExtraWords', () => {
  it('without a hint, says to quote a value that holds spaces', () => {
    expect(messageOf(() => checkExtraWords(['--playbook', 'my', 'pages', 'a.jsonl'], args, 'eval'))).toBe(
      '`unblock eval` takes 1 word besides its options, not 2: "pages", "a.jsonl". Put an option\'s value that holds spaces in quotes. Run `unblock eval --help` for usage.',
    );
  });

  it("gives the command's own hint in place of that advice", () => {
    expect(messageOf(() => checkExtraWords(['a.jsonl', 'b.jsonl'], args, 'eval', 'It reads one file.'))).toBe('`unblock eval` takes 1 word besides its options, not 2: "a.jsonl", "b.jsonl". It reads one file. Run `unblock eval --help` for usage.');
  });

  it('passes as many words as the command takes', () => {
    expect(messageOf(() => checkExtraWords(['--playbook', 'pages', 'a.jsonl'], args, 'eval', 'It reads one file.'))).toBe('');
  });
});
