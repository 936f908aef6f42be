import { ChangePasswordForm } from '../components/change-password-form.js';
import { useSession } from '../components/session.js';
import { usePartners } from '../lib/reference-data.js';

/** My account: who you are signed in as, and a form to change your password. */
export default function AccountPage() {
  const { me } = useSession();
  const partners = usePartners();
  const partner =
    me.partnerId === null ? 'None: admins see every partner' : (partners.data?.find((p) => p.id === me.partnerId)?.name ?? (partners.error ? `Partner #${me.partnerId}` : 'Loading…'));
  return (
    <div className="page account">
      <h1>My account</h1>
      <section className="card" aria-labelledby="account-facts-title">
        <h2 id="account-facts-title">Signed in as</h2>
        <dl className="facts account-facts">
          {[
            ['Name', me.name],
            // GET /api/me (and the sign-in answer) carry the email; null only for the system actor.
            ['Email', me.email ?? 'Not available'],
            ['Role', me.role],
            ['Partner', partner],
          ].map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      {/* Its ids are its own: this page may wait, hidden, under "Choose your own password", whose form is the same. */}
      <ChangePasswordForm idPrefix="account-" />
    </div>
  );
}
