import type { Me } from '../api/client.js';
import { ChangePasswordForm, type ChangePasswordWords } from '../components/change-password-form.js';
import { useContentFocus } from '../lib/focus.js';

const WORDS: ChangePasswordWords = {
  title: 'Choose your own password',
  intro: 'Your password was chosen by a manager or an admin, who knows it. Choose one only you know before you go on: Unblock opens once it is changed.',
  currentLabel: 'Current (temporary) password',
  currentMissing: 'Type the password you were given.',
  submit: 'Save my password',
  busy: 'Saving…',
};

/**
 * Instead of the app, after signing in with a password a manager or admin chose (GET /api/me says
 * `mustChangePassword`): until the user chooses their own, the server answers nothing else (403
 * PASSWORD_CHANGE_REQUIRED). `onChosen` opens the app; `onSignOut` leaves it for later.
 */
export function ChoosePasswordPage({ me, onChosen, onSignOut }: { me: Me; onChosen: () => void; onSignOut: () => void }) {
  // After sign-in the focus goes to the heading, so the reason is read out before the fields.
  useContentFocus();
  return (
    <main id="main" className="sign-in choose-password" tabIndex={-1}>
      <div className="choose-password-box">
        <ChangePasswordForm words={WORDS} onChanged={onChosen} pageHeading />
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
