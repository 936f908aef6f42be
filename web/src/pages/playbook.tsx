import { useMemo, useState } from 'react';
import { api, type PlaybookPage, type PlaybookQuestion, type TaxonomyCode } from '../api/client.js';
import { Empty, ErrorMessage, Loading } from '../components/states.js';
import { formatStatus, toStatusClass } from '../lib/format.js';
import { useTaxonomy } from '../lib/reference-data.js';
import type { Route } from '../lib/router.js';
import { useAsync } from '../lib/use-async.js';

function Questions({ items }: { items: PlaybookQuestion[] }) {
  return (
    <ol>
      {items.map((q, i) => (
        <li key={i}>
          {q.text}
          {q.children.length ? <Questions items={q.children} /> : null}
        </li>
      ))}
    </ol>
  );
}

function findPage(pages: PlaybookPage[], code: TaxonomyCode): PlaybookPage | undefined {
  return pages.find((p) => (code.file && p.file === code.file) || (p.l1 === code.l1 && (p.l2 ?? null) === code.l2));
}

function CodeDetails({ code, page }: { code: TaxonomyCode; page: PlaybookPage | undefined }) {
  return (
    <article className={`card code-card ${toStatusClass(code.l1)}`} aria-labelledby={`code-${code.id}`}>
      <h2 id={`code-${code.id}`}>{formatStatus(code.l1, code.l2)}</h2>
      <p>{code.definition ?? page?.definition ?? <span className="muted">No definition in the playbook.</span>}</p>
      {page ? (
        <>
          {page.valid.length ? (
            <>
              <h3>Valid examples</h3>
              <ul>
                {page.valid.map((s, i) => (
                  <li key={i}>{s.text}</li>
                ))}
              </ul>
            </>
          ) : null}
          {page.invalid.length ? (
            <>
              <h3>Looks similar, but belongs elsewhere</h3>
              <ul>
                {page.invalid.map((s, i) => (
                  <li key={i}>
                    {s.text} <span className="muted">→ {s.label}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {page.questions.length ? (
            <>
              <h3>Confirmation questions</h3>
              <Questions items={page.questions} />
            </>
          ) : null}
          {page.workloadQuestions.map((w) => (
            <div key={w.workload}>
              <h3>Questions for {w.workload}</h3>
              <Questions items={w.questions} />
            </div>
          ))}
          {page.problems.length ? (
            <>
              <h3>Lint problems</h3>
              <ul className="problems">
                {page.problems.map((p, i) => (
                  <li key={i} className={`problem-${p.severity}`}>
                    <code>
                      {p.file}:{p.line}:{p.column}
                    </code>{' '}
                    {p.severity} {p.code}: {p.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="muted small">Source: {page.file}</p>
        </>
      ) : null}
    </article>
  );
}

/** The playbook browser: every code with its definition, examples, questions and lint problems. */
export default function PlaybookBrowser({ route }: { route: Route }) {
  const taxonomy = useTaxonomy();
  const pages = useAsync(() => api.getPlaybook(), []);
  const [filter, setFilter] = useState(route.query.get('q') ?? '');
  const codes = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (taxonomy.data?.codes ?? []).filter((c) => !needle || `${c.l1} ${c.l2 ?? ''} ${c.definition ?? ''}`.toLowerCase().includes(needle));
  }, [taxonomy.data, filter]);

  if (taxonomy.error) return <ErrorMessage error={taxonomy.error} />;
  if (!taxonomy.data) return <Loading label="Loading the playbook…" />;
  const pageList = pages.data?.items ?? [];
  const pagesMissing = pages.status === 'ok' && !pages.data;
  return (
    <div className="page playbook">
      <div className="page-head">
        <h1>Playbook</h1>
        <span className="muted">version {taxonomy.data.version}</span>
      </div>
      <div className="field">
        <label htmlFor="pb-filter">Filter codes</label>
        <input id="pb-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {pages.status === 'error' ? <p className="muted small">Examples and questions could not be loaded ({pages.error.message}); showing definitions only.</p> : null}
      {pagesMissing ? <p className="muted small">This server does not publish the playbook pages (GET /api/playbook); showing definitions only.</p> : null}
      {pages.status === 'loading' ? <Loading label="Loading examples and questions…" /> : null}
      <nav aria-label="Codes" className="code-index">
        {taxonomy.data.l1s.map((l1) => (
          <div key={l1.id}>
            <strong>{l1.name}</strong>
            <ul>
              {l1.codes.map((id) => {
                const code = taxonomy.data?.codes.find((c) => c.id === id);
                return code ? (
                  <li key={id}>
                    <a href={`#/playbook?q=${encodeURIComponent(code.l2 ?? code.l1)}`} onClick={() => setFilter(code.l2 ?? code.l1)}>
                      {code.l2 ?? code.l1}
                    </a>
                  </li>
                ) : null;
              })}
            </ul>
          </div>
        ))}
      </nav>
      {codes.length === 0 ? <Empty>No code matches “{filter}”.</Empty> : null}
      {codes.map((code) => (
        <CodeDetails key={code.id} code={code} page={findPage(pageList, code)} />
      ))}
    </div>
  );
}
