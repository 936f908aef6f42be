import type { ButtonHTMLAttributes } from 'react';

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  type: 'button' | 'submit';
  /** True while the button's own request runs: it looks and reads as unavailable, and ignores clicks. */
  busy: boolean;
};

/**
 * A button whose action is sent to the server. While `busy` it is `aria-disabled` (greyed, announced as
 * unavailable) but not `disabled`: a disabled button drops the focus to the page (<body>) as it turns
 * off, so after a refusal the keyboard would start again from the top. It stays focusable, and clicks
 * (and a form's Enter, which clicks its submit button) are ignored until the answer comes. After a
 * refusal the caller moves the focus to the field to fix (`focusWhenShown`), or leaves it here next to
 * the message. `disabled` stays for a button that cannot be used at all (nothing to send yet).
 */
export function BusyButton({ busy, onClick, 'aria-disabled': ariaDisabled, ...rest }: Props) {
  return (
    <button
      {...rest}
      aria-disabled={busy || ariaDisabled || undefined}
      onClick={(event) => {
        if (busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    />
  );
}
