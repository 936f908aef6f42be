/**
 * The one layout of the CLI's JSON output. A command that answers with one JSON document (`--json`)
 * prints it with a 2-space indent and a final line break, whether stdout is a terminal, a pipe or a
 * file, so that its output is the same wherever it goes and reads in a terminal; any JSON parser
 * reads it whole (`jq .`). A stream of results (`classify --input`, `notes grade --input`) is JSONL:
 * one object per line, with no indent, so that each line can be read on its own.
 */

/** One JSON document, as `--json` prints it: 2-space indent, one final line break. */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One record of a JSONL stream: the object on one line, without its line break. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value);
}
