import { useEffect, useMemo, useRef, useState, type Ref } from 'react';
import { api, type PlaybookPage, type PlaybookQuestion, type TaxonomyCode } from '../api/client.js';
import { Empty, ErrorMessage, Loading } from '../components/states.js';
import { formatStatus, toStatusClass } from '../lib/format.js';
import { useTaxonomy } from '../lib/reference-data.js';
import { navigate, toHref, type Route } from '../lib/router.js';
import { useAsync, useDebounced } from '../lib/use-async.js';

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

/** The address of one code in the playbook: `#/playbook?code=blocked/legal-regulatory`. */
function toCodeHref(code: TaxonomyCode): string {
  return toHref('/playbook', { code: code.id });
}

function ProblemList({ problems }: { problems: PlaybookPage['problems'] }) {
  return (
    <ul className="problems">
      {problems.map((p, i) => (
        <li key={i} className={`problem-${p.severity}`}>
          <code>
            {p.file}:{p.line}:{p.column}
          </code>{' '}
          {p.severity} {p.code}: {p.message}
        </li>
      ))}
    </ul>
  );
}

/**
 * Pages no code card shows (an L1 overview page, a page whose code could not be told, a second page
 * for a code) that have problems: without this list a page that adds no code to the taxonomy, often
 * the one with the worst problem, would not appear on the page at all.
 */
function OtherPages({ pages }: { pages: PlaybookPage[] }) {
  if (pages.length === 0) return null;
  return (
    <section className="card" aria-labelledby="pb-other-pages">
      <h2 id="pb-other-pages">Other pages with lint problems</h2>
      <p className="muted small">These pages have no code card above: an L1 overview page, or a page whose code could not be told.</p>
      {pages.map((page) => (
        <div key={page.file}>
          <h3>{page.file}</h3>
          <ProblemList problems={page.problems} />
        </div>
      ))}
    </section>
  );
}

/** A problem's identity, to tell the problems across pages from those a page lists itself. */
function problemKey(p: PlaybookPage['problems'][number]): string {
  return `${p.file}:${p.line}:${p.column}:${p.code}:${p.message}`;
}

/**
 * Problems no page lists as its own: two pages for one code, a name two codes claim, stored
 * entitlements on a code the pages no longer define. The server reported them (GET /api/playbook's
 * `problems`) and `serve` printed them; the web showed none of them.
 */
function AcrossPages({ problems }: { problems: PlaybookPage['problems'] }) {
  if (problems.length === 0) return null;
  return (
    <section className="card" aria-labelledby="pb-across-pages">
      <h2 id="pb-across-pages">Problems across pages</h2>
      <ProblemList problems={problems} />
    </section>
  );
}

function CodeDetails({ code, page, headingRef }: { code: TaxonomyCode; page: PlaybookPage | undefined; headingRef?: Ref<HTMLHeadingElement> | undefined }) {
  return (
    <article className={`card code-card ${toStatusClass(code.l1)}`} aria-labelledby={`code-${code.id}`}>
      <h2 id={`code-${code.id}`} ref={headingRef} tabIndex={headingRef ? -1 : undefined}>
        {formatStatus(code.l1, code.l2)}
      </h2>
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
              <ProblemList problems={page.problems} />
            </>
          ) : null}
          <p className="muted small">Source: {page.file}</p>
        </>
      ) : null}
    </article>
  );
}

/**
 * The playbook browser: every code with its definition, examples, questions and lint problems. The
 * address holds what is shown, so Back and Forward work and a link can point at it: `code=` shows one
 * code (the index links there), `q=` filters the codes by text (L1, L2 and definition). The filter box
 * writes its text to the address 300 ms after you stop typing, replacing the entry, and shows the
 * address's text whenever the address changes otherwise (Back, Forward, a link).
 */
export default function PlaybookBrowser({ route }: { route: Route }) {
  const taxonomy = useTaxonomy();
  const pages = useAsync(() => api.getPlaybook(), []);
  const addressQ = route.query.get('q') ?? '';
  const codeId = route.query.get('code') ?? '';
  const [filter, setFilter] = useState(addressQ);
  const debouncedFilter = useDebounced(filter, 300);
  /** The text last taken from the address or written to it: an address that differs came from elsewhere. */
  const syncedQ = useRef(addressQ);
  const cardHeading = useRef<HTMLHeadingElement>(null);
  /** The code last shown on its own; focus moves to a code chosen while the page is open. */
  const shownCode = useRef(codeId);

  useEffect(() => {
    if (debouncedFilter === addressQ) return;
    syncedQ.current = debouncedFilter;
    // Typing is one step of history, not one per pause; a text filter replaces a chosen code.
    navigate(toHref('/playbook', { q: debouncedFilter || undefined }), true);
    // addressQ is read fresh each render; only the debounced text triggers this.
  }, [debouncedFilter]);

  // Back, Forward or a link: the box shows the address's text, keeping letters typed since the last pause.
  useEffect(() => {
    if (addressQ === syncedQ.current) return;
    syncedQ.current = addressQ;
    setFilter(addressQ);
  }, [addressQ]);

  const allCodes = taxonomy.data?.codes ?? [];
  // A code from the address shows on its own, unless text was typed in the filter since.
  const single = codeId && !filter.trim() ? allCodes.find((c) => c.id === codeId) : undefined;
  const unknownCode = !!codeId && !filter.trim() && !!taxonomy.data && !single;
  const codes = useMemo(() => {
    if (single) return [single];
    if (unknownCode) return [];
    const needle = filter.trim().toLowerCase();
    return allCodes.filter((c) => !needle || `${c.l1} ${c.l2 ?? ''} ${c.definition ?? ''}`.toLowerCase().includes(needle));
  }, [taxonomy.data, filter, single, unknownCode]);

  useEffect(() => {
    if (!codeId) shownCode.current = '';
    if (!single || shownCode.current === single.id) return;
    shownCode.current = single.id;
    cardHeading.current?.focus();
  }, [single]);

  if (taxonomy.error) return <ErrorMessage error={taxonomy.error} />;
  if (!taxonomy.data) return <Loading label="Loading the playbook…" />;
  const pageList = pages.data?.items ?? [];
  const pagesMissing = pages.status === 'ok' && !pages.data;
  // Shown with every code (no code picked, no filter): the pages no code card shows, when they have problems.
  const shownPages = new Set(allCodes.map((code) => findPage(pageList, code)));
  const otherPages = single || unknownCode || filter.trim() ? [] : pageList.filter((p) => !shownPages.has(p) && p.problems.length > 0);
  const ownProblems = new Set(pageList.flatMap((p) => p.problems.map(problemKey)));
  const acrossPages = single || unknownCode || filter.trim() ? [] : (pages.data?.problems ?? []).filter((p) => !ownProblems.has(problemKey(p)));
  const codeLink = (code: TaxonomyCode, label: string) => (
    <a
      href={toCodeHref(code)}
      aria-current={single?.id === code.id ? 'true' : undefined}
      style={single?.id === code.id ? { fontWeight: 'bold' } : undefined}
      onClick={() => setFilter('')}
    >
      {label}
    </a>
  );
  return (
    <div className="page playbook">
      <div className="page-head">
        <h1>Playbook</h1>
        <span className="muted">version {taxonomy.data.version}</span>
      </div>
      <div className="field">
        <label htmlFor="pb-filter">Filter codes</label>
        <input id="pb-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Words of a code" />
      </div>
      {pages.status === 'error' ? <p className="muted small">Examples and questions could not be loaded ({pages.error.message}); showing definitions only.</p> : null}
      {pagesMissing ? <p className="muted small">This server does not publish the playbook pages (GET /api/playbook); showing definitions only.</p> : null}
      {pages.status === 'loading' ? <Loading label="Loading examples and questions…" /> : null}
      <nav aria-label="Codes" className="code-index">
        {taxonomy.data.l1s.map((l1) => {
          const l1Codes = l1.codes.map((id) => taxonomy.data?.codes.find((c) => c.id === id)).filter((c): c is TaxonomyCode => !!c);
          // An L1 without reasons (Duplicate/Invalid) is one code: its heading is the link, not listed twice.
          const own = l1Codes.find((c) => !c.l2);
          const reasons = l1Codes.filter((c) => c.l2);
          return (
            <div key={l1.id}>
              <strong>{own ? codeLink(own, l1.name) : l1.name}</strong>
              {reasons.length ? (
                <ul>
                  {reasons.map((code) => (
                    <li key={code.id}>{codeLink(code, code.l2 ?? code.l1)}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          );
        })}
      </nav>
      {single ? (
        <p className="small">
          Showing one code. <a href={toHref('/playbook')}>Show every code</a>
        </p>
      ) : null}
      {unknownCode ? (
        <Empty>
          The playbook has no code “{codeId}”. <a href={toHref('/playbook')}>Show every code</a>
        </Empty>
      ) : null}
      {!unknownCode && codes.length === 0 ? <Empty>No code matches “{filter}”.</Empty> : null}
      {codes.map((code) => (
        <CodeDetails key={code.id} code={code} page={findPage(pageList, code)} headingRef={single ? cardHeading : undefined} />
      ))}
      <OtherPages pages={otherPages} />
      <AcrossPages problems={acrossPages} />
    </div>
  );
}
