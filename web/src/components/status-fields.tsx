import type { StatusFields, Taxonomy } from '../api/client.js';
import type { StatusIssue } from '../lib/rules.js';
import { listL2s, rulesL1Of } from '../lib/rules.js';
import { NoteCoach } from './note-coach.js';

export const BUSINESS_REASONS = [
  'End of life of existing IT',
  'Security',
  'Service quality',
  'Availability',
  'Hardware cost',
  'Maintenance overhead',
  'Savings',
  'Collaboration',
  'Business process transformation',
  'Shared knowledge',
  'Front-line workers',
  'Partners and suppliers',
  'Work from anywhere',
  'Insights from data',
];

/** An empty status to start a form from. */
export function createEmptyStatus(): StatusFields {
  return {
    l1: '',
    l2: null,
    note: '',
    targetDate: null,
    engagementStartDate: null,
    businessReason: null,
    owner: null,
    nextAction: null,
    nextActionDate: null,
    projectedUnblockDate: null,
  };
}

/** The form's name of each field, as its label shows it: an error summary names fields with these. */
export const STATUS_FIELD_LABELS: Record<keyof StatusFields, string> = {
  l1: 'L1 status',
  l2: 'L2 reason',
  note: 'Status note',
  targetDate: 'Target date',
  projectedUnblockDate: 'Projected unblock date',
  engagementStartDate: 'Engagement start date',
  businessReason: 'Business reason',
  owner: 'Owner',
  nextAction: 'Next action',
  nextActionDate: 'Next action date',
};
/** The fields in the order the form shows them (the keys of {@link STATUS_FIELD_LABELS}). */
export const STATUS_FIELD_ORDER = Object.keys(STATUS_FIELD_LABELS) as (keyof StatusFields)[];

/** The id of a field's control in a {@link StatusFieldset} with `idPrefix` (its label points to it). */
export function toFieldId(idPrefix: string, field: keyof StatusFields): string {
  return `${idPrefix}-${String(field)}`;
}

function FieldIssues({ id, issues }: { id: string; issues: StatusIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="field-issues">
      {issues.map((issue) => (
        <li key={issue.code} className={issue.severity === 'error' ? 'field-error' : 'field-warning'}>
          {issue.severity === 'error' ? 'Error: ' : 'Warning: '}
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

interface Props {
  idPrefix: string;
  value: StatusFields;
  onChange: (next: StatusFields) => void;
  taxonomy: Taxonomy | undefined;
  issues: StatusIssue[];
  /** Show the issues only after the user tried to save or touched the form. */
  showIssues: boolean;
  compact?: boolean;
  /** Grade the note as it is typed and warn when it reads as another code. */
  coach?: boolean;
  /** The workload the status is for (slug or name): the coach's template and fixes name it. */
  workload?: string | null;
}

/** The status form's fields with the playbook's rules shown inline next to the field they concern. */
export function StatusFieldset({ idPrefix, value, onChange, taxonomy, issues, showIssues, compact, coach, workload }: Props) {
  const id = (name: string) => `${idPrefix}-${name}`;
  const issuesOf = (field: keyof StatusFields) => (showIssues ? issues.filter((i) => i.field === field) : []);
  const set = <K extends keyof StatusFields>(key: K, v: StatusFields[K]) => onChange({ ...value, [key]: v });
  const l2s = listL2s(taxonomy, value.l1);
  const text = (key: keyof StatusFields, type: 'text' | 'date' = 'text', required = false) => {
    const label = STATUS_FIELD_LABELS[key];
    const fieldIssues = issuesOf(key);
    return (
      <div className={`field field-${String(key)}`}>
        <label htmlFor={id(String(key))}>
          {label}
          {required ? <span aria-hidden="true"> *</span> : null}
        </label>
        <input
          id={id(String(key))}
          type={type}
          value={(value[key] as string | null) ?? ''}
          onChange={(e) => set(key, (e.target.value || null) as StatusFields[typeof key])}
          aria-invalid={fieldIssues.some((i) => i.severity === 'error') || undefined}
          aria-describedby={fieldIssues.length ? id(`${String(key)}-issues`) : undefined}
          required={required}
        />
        <FieldIssues id={id(`${String(key)}-issues`)} issues={fieldIssues} />
      </div>
    );
  };
  return (
    <div className={`status-fields${compact ? ' compact' : ''}`}>
      <div className="field">
        <label htmlFor={id('l1')}>
          {STATUS_FIELD_LABELS.l1}<span aria-hidden="true"> *</span>
        </label>
        <select
          id={id('l1')}
          value={value.l1}
          onChange={(e) => {
            const l1 = e.target.value;
            const next = listL2s(taxonomy, l1);
            onChange({ ...value, l1, l2: value.l2 && next.includes(value.l2) ? value.l2 : null });
          }}
          aria-invalid={issuesOf('l1').some((i) => i.severity === 'error') || undefined}
          aria-describedby={issuesOf('l1').length ? id('l1-issues') : undefined}
          required
        >
          <option value="">Choose…</option>
          {/* A stored L1 of an older playbook: shown as it is (the list would show Choose… and hide it). */}
          {value.l1 && taxonomy && !taxonomy.l1s.some((n) => n.name === value.l1) ? <option value={value.l1}>{value.l1} (no longer in the playbook)</option> : null}
          {taxonomy?.l1s.map((n) => (
            <option key={n.id} value={n.name}>
              {n.name}
            </option>
          ))}
        </select>
        <FieldIssues id={id('l1-issues')} issues={issuesOf('l1')} />
      </div>
      <div className="field">
        <label htmlFor={id('l2')}>{STATUS_FIELD_LABELS.l2}</label>
        <select
          id={id('l2')}
          value={value.l2 ?? ''}
          onChange={(e) => set('l2', e.target.value || null)}
          disabled={l2s.length === 0 && !value.l2}
          aria-invalid={issuesOf('l2').some((i) => i.severity === 'error') || undefined}
          aria-describedby={issuesOf('l2').length ? id('l2-issues') : undefined}
        >
          <option value="">{l2s.length ? 'Choose…' : 'None for this L1'}</option>
          {value.l2 && !l2s.includes(value.l2) ? (
            <option value={value.l2}>
              {value.l2} ({taxonomy && !taxonomy.codes.some((c) => c.l2 === value.l2) ? 'no longer in the playbook' : `not under ${value.l1 || 'this L1'}`})
            </option>
          ) : null}
          {l2s.map((l2) => (
            <option key={l2} value={l2}>
              {l2}
            </option>
          ))}
        </select>
        <FieldIssues id={id('l2-issues')} issues={issuesOf('l2')} />
      </div>
      <div className="field field-note">
        <label htmlFor={id('note')}>{STATUS_FIELD_LABELS.note}</label>
        <textarea
          id={id('note')}
          rows={compact ? 2 : 3}
          value={value.note}
          onChange={(e) => set('note', e.target.value)}
          aria-invalid={issuesOf('note').some((i) => i.severity === 'error') || undefined}
          aria-describedby={[issuesOf('note').length ? id('note-issues') : '', coach ? id('note-coach') : ''].filter(Boolean).join(' ') || undefined}
        />
        <FieldIssues id={id('note-issues')} issues={issuesOf('note')} />
        {coach ? <NoteCoach note={value.note} l1={value.l1} l2={value.l2} workload={workload} describedById={id('note-coach')} /> : null}
      </div>
      {/* Each kept only while its L1 lasts: the server clears them when the status leaves it. */}
      {rulesL1Of(value.l1, taxonomy) === 'In Progress' ? text('targetDate', 'date', true) : null}
      {rulesL1Of(value.l1, taxonomy) === 'Blocked' ? text('projectedUnblockDate', 'date', true) : null}
      {!compact ? (
        <>
          {text('engagementStartDate', 'date')}
          <div className="field">
            <label htmlFor={id('businessReason')}>{STATUS_FIELD_LABELS.businessReason}</label>
            <select id={id('businessReason')} value={value.businessReason ?? ''} onChange={(e) => set('businessReason', e.target.value || null)}>
              <option value="">Not set</option>
              {value.businessReason && !BUSINESS_REASONS.includes(value.businessReason) ? <option value={value.businessReason}>{value.businessReason}</option> : null}
              {BUSINESS_REASONS.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          {text('owner')}
          {text('nextAction')}
          {text('nextActionDate', 'date')}
        </>
      ) : null}
    </div>
  );
}
