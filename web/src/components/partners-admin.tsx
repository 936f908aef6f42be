import { useState, type FormEvent } from 'react';
import { api, type Partner, type User } from '../api/client.js';
import { refreshPartners } from '../lib/reference-data.js';
import { PARTNER_TEXT_LIMITS } from '../lib/rules.js';
import { FormEnd, TextField, tooLong, useFormProblems, type FieldProblems } from './customer-fields.js';
import { ErrorMessage, Loading, Notice } from './states.js';

const PREFIX = 'new-partner';
const FIELDS = ['name'] as const;

/** `3 users`, `1 user`, with `, 1 disabled` when some cannot sign in (they still belong to the partner). */
function usersCount(active: number, disabled: number): string {
  const count = active === 1 ? '1 user' : `${active.toLocaleString('en')} users`;
  return disabled > 0 ? `${count}, ${disabled.toLocaleString('en')} disabled` : count;
}

/** What is wrong with a partner's name before it is sent: none typed, or longer than the server keeps. */
function checkName(name: string): FieldProblems {
  const problem = name.trim() ? tooLong('The name', name, PARTNER_TEXT_LIMITS.name) : 'Type the partner’s name.';
  return problem ? { name: problem } : {};
}

/** Adds a partner; once added it is in every partner choice of the app (see refreshPartners). */
function NewPartnerForm({ onSend, onAdded }: { onSend: () => void; onAdded: (partner: Partner) => void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormProblems(PREFIX, FIELDS);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    onSend();
    if (form.found(checkName(name))) return;
    setBusy(true);
    try {
      const created = await api.createPartner(name.trim());
      setName('');
      form.clear();
      onAdded(created);
    } catch (err) {
      // A taken name (409) names no field in its details: it is the name's problem.
      form.refused(err, { conflictField: 'name' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card new-partner" aria-labelledby="new-partner-title" onSubmit={submit} noValidate>
      <h3 id="new-partner-title">Add partner</h3>
      <TextField prefix={PREFIX} field="name" label="Partner name" hint="The consulting partner’s organisation. Each partner has a name of its own." value={name} onChange={setName} problems={form.problems} />
      <FormEnd refusal={form.refusal} busy={busy} label="Add partner" busyLabel="Adding…" cancel={null} />
    </form>
  );
}

/**
 * Admins: the partners, with how many users each has, disabled ones apart (counted in `users`, the users the page shows),
 * and a form to add one.
 */
export function PartnersAdmin({ partners, partnersError, users }: { partners: Partner[] | undefined; partnersError: Error | undefined; users: User[] }) {
  const [notice, setNotice] = useState<string>();
  const [refreshError, setRefreshError] = useState<Error>();
  const counts = new Map<number, { active: number; disabled: number }>();
  for (const u of users) {
    if (u.partnerId === null) continue;
    const count = counts.get(u.partnerId) ?? { active: 0, disabled: 0 };
    if (u.disabled) count.disabled++;
    else count.active++;
    counts.set(u.partnerId, count);
  }

  async function added(partner: Partner) {
    setRefreshError(undefined);
    setNotice(`${partner.name} is added. Choose it when you add its users or customers.`);
    try {
      await refreshPartners();
    } catch (err) {
      setRefreshError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  return (
    <section className="partners-admin" aria-labelledby="partners-title">
      <h2 id="partners-title">Partners</h2>
      {partnersError && !partners ? <ErrorMessage error={partnersError} /> : null}
      {!partners && !partnersError ? <Loading label="Loading partners…" /> : null}
      {partners ? (
        partners.length === 0 ? (
          <p className="muted">No partners yet. Add the first one below.</p>
        ) : (
          <div className="table-scroll" role="region" aria-label="Partner list" tabIndex={0}>
            <table className="data-table">
              <caption className="visually-hidden">Partners and how many users each has</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Users</th>
                </tr>
              </thead>
              <tbody>
                {partners.map((p) => (
                  <tr key={p.id}>
                    <td>{p.name}</td>
                    <td>{usersCount(counts.get(p.id)?.active ?? 0, counts.get(p.id)?.disabled ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {notice ? <Notice text={notice} onDismiss={() => setNotice(undefined)} /> : null}
      {refreshError ? <ErrorMessage error={refreshError} /> : null}
      <NewPartnerForm
        onSend={() => {
          setNotice(undefined);
          setRefreshError(undefined);
        }}
        onAdded={(partner) => void added(partner)}
      />
    </section>
  );
}
