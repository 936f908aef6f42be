/** ANSI colour only where it helps: citty colours its usage and error text whatever the stream is. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Whether `stream` may get ANSI colours: only a terminal, and only when NO_COLOR is unset or empty (https://no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

/** Writes `text` to `stream`, without colour codes unless {@link useColour} allows them. */
export function writeTo(stream: NodeJS.WriteStream, text: string): void {
  stream.write(useColour(stream) ? text : text.replace(ANSI, ''));
}
