import { useEffect, useState, type FormEvent } from 'react';
import { api, type NewCustomer } from '../api/client.js';
import {
  checkDetails,
  CustomerDetailsFields,
  describedBy,
  EMPTY_DETAILS,
  fieldId,
  FieldProblem,
  FormEnd,
  useFormProblems,
  type CustomerDetails,
} from '../components/customer-fields.js';
import { showFlash } from '../components/flash.js';
import { canManageCustomers, useSession } from '../components/session.js';
import { Empty, ErrorMessage, Loading } from '../components/states.js';
import { usePartners, useWorkloads } from '../lib/reference-data.js';
import { navigate, useLeaveGuard, useRoute } from '../lib/router.js';

const PREFIX = 'new-customer';
/** The fields in the order the form shows them: the focus goes to the first with a problem. */
const FIELDS = ['partnerId', 'tenantId', 'name', 'managed', 'region', 'workloads'] as const;

/** Creates a customer with the workloads it starts with; managers and admins (admins name the partner). */
export default function NewCustomerPage() {
  const { me } = useSession();
  const { query } = useRoute();
  if (!canManageCustomers(me.role))
    return (
      <div className="page">
        <h1>New customer</h1>
        <Empty>
          Only managers and administrators can add customers. Go back to the <a href="#/portfolio">portfolio</a>.
        </Empty>
      </div>
    );
  // The partner a filtered portfolio was showing comes along (`#/customers/new?partnerId=3`) and is
  // chosen already (admins only: anyone else's customers are their partner's). Another address opens
  // the form afresh.
  const admin = me.role === 'admin';
  const startPartner = admin && /^\d+$/.test(query.get('partnerId') ?? '') ? query.get('partnerId')! : '';
  return <NewCustomerForm key={startPartner} admin={admin} startPartner={startPartner} />;
}

function NewCustomerForm({ admin, startPartner }: { admin: boolean; startPartner: string }) {
  const workloads = useWorkloads();
  const partners = usePartners();
  const [details, setDetails] = useState<CustomerDetails>(EMPTY_DETAILS);
  const [partnerId, setPartnerId] = useState(startPartner);
  // A partner id nobody has (an old or edited address) is dropped once the partners are known.
  useEffect(() => {
    if (partners.data && partnerId !== '' && !partners.data.some((p) => String(p.id) === partnerId)) setPartnerId('');
  }, [partners.data, partnerId]);
  const [chosen, setChosen] = useState<string[]>([]);
  const form = useFormProblems(PREFIX, FIELDS);
  const { problems } = form;
  const [busy, setBusy] = useState(false);
  const dirty = details.tenantId !== '' || details.name !== '' || details.region !== '' || details.managed || (partnerId !== '' && partnerId !== startPartner) || chosen.length > 0;
  useLeaveGuard(dirty ? 'The new customer is not saved: what you typed in its form would be lost.' : undefined);

  function toggle(slug: string, on: boolean) {
    setChosen((list) => (on ? [...list.filter((s) => s !== slug), slug] : list.filter((s) => s !== slug)));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = checkDetails(details);
    if (admin && !partnerId) found.partnerId = 'Choose the partner this customer belongs to.';
    if (form.found(found)) return;
    // In the catalogue's order, whatever order they were ticked in.
    const slugs = (workloads.data ?? []).map((w) => w.slug).filter((slug) => chosen.includes(slug));
    const input: NewCustomer = { tenantId: details.tenantId.trim(), name: details.name.trim(), managed: details.managed, region: details.region.trim() || null, workloads: slugs };
    if (admin) input.partnerId = Number(partnerId);
    setBusy(true);
    try {
      const created = await api.createCustomer(input);
      const path = `/customers/${created.id}`;
      showFlash(`Created ${created.name} with ${slugs.length} workload(s).${slugs.length === 0 ? ' Add its workloads below.' : ''}`, path);
      navigate(`#${path}`);
    } catch (error) {
      form.refused(error, { unknownField: 'workloads' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page new-customer">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href="#/portfolio">Portfolio</a> › New customer
      </nav>
      <h1>New customer</h1>
      <form className="card customer-form" onSubmit={submit} noValidate aria-labelledby="new-customer-title">
        <h2 id="new-customer-title" className="visually-hidden">
          The new customer&apos;s details
        </h2>
        {admin ? (
          <div className="field">
            <label htmlFor={fieldId(PREFIX, 'partnerId')}>Partner</label>
            <select id={fieldId(PREFIX, 'partnerId')} value={partnerId} disabled={busy} onChange={(e) => setPartnerId(e.target.value)} {...describedBy(PREFIX, 'partnerId', problems)}>
              <option value="">Choose…</option>
              {(partners.data ?? []).map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.name}
                </option>
              ))}
            </select>
            <FieldProblem prefix={PREFIX} field="partnerId" problems={problems} />
            {partners.error ? <ErrorMessage error={partners.error} /> : null}
          </div>
        ) : null}
        <CustomerDetailsFields prefix={PREFIX} value={details} onChange={setDetails} problems={problems} disabled={busy} tenantHolderId={form.holderId} />
        <fieldset className="workload-choices" {...describedBy(PREFIX, 'workloads', problems, `${fieldId(PREFIX, 'workloads')}-hint`)}>
          <legend>Workloads to start with</legend>
          <p id={`${fieldId(PREFIX, 'workloads')}-hint`} className="muted small">
            Each starts as Status Unknown. To split a workload into parts (a region, a subsidiary), add the parts on the customer&apos;s page once it is created.
          </p>
          {workloads.error ? <ErrorMessage error={workloads.error} /> : null}
          {!workloads.data && !workloads.error ? <Loading label="Loading the workloads…" /> : null}
          <ul className="check-list">
            {(workloads.data ?? []).map((w, index) => (
              <li key={w.slug}>
                <label className="check">
                  <input
                    type="checkbox"
                    id={index === 0 ? fieldId(PREFIX, 'workloads') : undefined}
                    checked={chosen.includes(w.slug)}
                    disabled={busy}
                    onChange={(e) => toggle(w.slug, e.target.checked)}
                  />{' '}
                  {w.name}
                </label>
              </li>
            ))}
          </ul>
          <FieldProblem prefix={PREFIX} field="workloads" problems={problems} />
        </fieldset>
        <FormEnd
          refusal={form.refusal}
          busy={busy}
          label="Create customer"
          busyLabel="Creating…"
          cancel={
            <a className="button" href="#/portfolio">
              Cancel
            </a>
          }
        />
      </form>
    </div>
  );
}
