import type { Me } from '../api/client.js';
import { ChangePasswordForm, type ChangePasswordWords } from '../components/change-password-form.js';
import { useContentFocus } from '../lib/focus.js';
import { useBeforeUnloadWarning } from '../lib/use-before-unload.js';

const WORDS: ChangePasswordWords = {
  title: 'Choose your own password',
  intro: 'Your password was chosen by a manager or an admin, who knows it. Choose one only you know before you go on: Unblock opens once it is changed.',
  currentLabel: 'Current (temporary) password',
  currentMissing: 'Type the password you were given.',
  submit: 'Save my password',
  busy: 'Saving…',
};

/** Said under the heading (read out with it) when the page the user was on waits under this one. */
function keptWords(unsaved: boolean): string {
  return `The page you were on is kept as you left it, with what you typed${unsaved ? ' and had not saved' : ''}: it shows again as soon as your new password is saved. Signing out, or reloading this page, drops it.`;
}

/**
 * Instead of the app, after signing in with a password a manager or admin chose (GET /api/me says
 * `mustChangePassword`): until the user chooses their own, the server answers nothing else (403
 * PASSWORD_CHANGE_REQUIRED). `onChosen` opens the app; `onSignOut` leaves it for later. `kept`: the
 * page the user was working on waits, hidden, under this one (the app keeps it), so this page says it
 * comes back as it was, and that signing out drops it; when its forms held unsaved edits (`unsaved`),
 * a reload or a closed tab asks first, as that page itself would have.
 */
export function ChoosePasswordPage({ me, kept, onChosen, onSignOut }: { me: Me; kept?: { unsaved?: string }; onChosen: () => void; onSignOut: () => void }) {
  // After sign-in the focus goes to the heading, so the reason is read out before the fields.
  useContentFocus();
  const unsaved = !!kept?.unsaved;
  useBeforeUnloadWarning(unsaved);
  return (
    <main id="main" className="sign-in choose-password" tabIndex={-1}>
      <div className="choose-password-box">
        <ChangePasswordForm words={kept ? { ...WORDS, intro: `${WORDS.intro} ${keptWords(unsaved)}` } : WORDS} onChanged={onChosen} pageHeading />
        <p className="muted choose-password-who">
          Signed in as {me.name}
          {me.email ? ` (${me.email})` : ''}.{' '}
          <button type="button" className="button-link" onClick={onSignOut}>
            Sign out
          </button>
        </p>
      </div>
    </main>
  );
}
