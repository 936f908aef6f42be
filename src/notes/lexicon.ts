/**
 * Word lists of the note coach, as regular expressions. All are written for
 * this project; none is taken from a playbook. Patterns without the `g` flag
 * are tests; `findSpan` in analyze.ts adds it when it needs every match.
 */

const words = (list: readonly string[]): string => list.join('|');

/** Hedges that blur intent or commitment. */
export const HEDGE_RE = new RegExp(
  `\\b(${words([
    'for now', 'currently', 'yet', 'right now', 'at the moment', 'at this time', 'at this point', 'at present',
    'as of now', 'as of today', 'for the time being', 'for the moment', 'maybe', 'perhaps', 'possibly', 'probably',
    'might', 'hopefully', 'potentially', 'seems?', 'seemed', 'apparently', 'not sure', 'unsure', 'i think', 'i believe',
    'we think', 'we believe', 'as far as we know', 'kind of', 'sort of', 'supposedly',
  ])})\\b`,
  'i',
);

/** Engagement logistics: arranging meetings rather than stating where the customer stands. */
export const LOGISTICS_RE = new RegExp(
  `\\b(${words([
    'schedul(?:e|es|ed|ing)', 're-?schedul\\w*', 'kick-?offs?', 'workshops?', 'agenda', 'calendar', 'invites?', 'invitations?',
    '(?:set|setting|sets) up (?:a|an|the|another) (?:call|meeting|session|workshop)', 'book(?:ed|ing)? (?:a|an|the|another) (?:call|meeting|session|slot)',
    '(?:next|another|follow-?up) (?:call|meeting|sync|session)', 'touch base', 'catch-?up (?:call|meeting)',
    '(?:waiting|wait|awaiting) (?:for|on) (?:a|an|the) (?:call|meeting|reply to (?:the|our) invite)', 'to discuss',
  ])})\\b`,
  'i',
);

/** Words right after a logistics word that make it a finished fact (a kick-off held is progress, not logistics). */
export const LOGISTICS_DONE_RE = /^[\s\w-]{0,20}?\b(done|held|completed?|finished|took place|delivered)\b/i;

/**
 * Words that, next to a logistics phrase, add nothing about the customer: times and dates, and the words of
 * arranging a meeting ("the next meeting with IT is on Friday", "call booked for 3 June, agenda to be sent").
 * A clause made only of these, UNSPECIFIC_WORDS and logistics phrases is about logistics alone.
 */
export const LOGISTICS_FILLER = new Set(
  (
    'monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri ' +
    'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'today tomorrow yesterday tonight morning afternoon evening am pm day days weeks hour hours minutes soon later early end mid asap tbd tbc ' +
    'date dates slot slots two three four five six seven eight nine ten first second initial intro introductory again ' +
    'send sent sending share shared sharing summary recap notes minutes book booked booking arrange arranged arranging organise organised ' +
    'organize organized confirm confirmed confirming plan planned set up pending going expected us him onsite on-site in-person virtual online via'
  ).split(' '),
);

export const UNRESPONSIVE_RE = new RegExp(
  `\\b(${words([
    'unresponsive', 'no (?:reply|replies|response|responses|answer|answers)', 'not (?:replied|responded|responding|answered|answering|reachable)',
    "(?:hasn't|has not|have not|haven't|did not|didn't|does not|doesn't) (?:reply|replied|respond|responded|answer|answered|get back|got back|gotten back)",
    '(?:no one|nobody) (?:answers|replies|responds|answered|replied|responded)', 'ghost\\w*', 'gone silent', 'went silent',
    "(?:cannot|can't|unable to|could not|couldn't) (?:reach|get hold of)", 'tried to reach', 'trying to reach', 'waiting to hear back', 'no (?:contact|word) from',
  ])})\\b`,
  'i',
);

/** A contact attempt mentioned at all (without a count). */
export const CONTACT_RE = /\b(e-?mail(s|ed)?|call(s|ed)?|phoned|rang|messaged|voicemails?|linkedin|reached out|tried|attempts?|chased|follow(ed)?-?ups?)\b/i;

/**
 * A contact attempt described as one (something was sent, called, tried or chased), not a channel merely
 * named: "emailed the IT lead", "left two voicemails", "sent a reminder"; but not "see email" or "per call".
 */
export const CONTACT_ATTEMPT_RE =
  /\b(e-?mailed|called|phoned|rang|messaged|texted|pinged|reached out|tried|chased|followed[- ]?up|attempts?|(left|sent)( \w+){0,2} (e-?mails?|messages?|voicemails?|reminders?|texts?|invites?|invitations?)|(e-?mails?|messages?|reminders?|texts?) (were |was )?sent|voicemails?|no luck|bounced)\b/i;

const COUNT_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|\\d+';
/** A count of contact attempts: "5 attempts", "three emails and two calls". */
export const ATTEMPT_COUNT_RE = new RegExp(
  `\\b(${COUNT_WORDS})\\b[\\s\\w(),-]{0,25}?\\b(attempts?|tries|times|e-?mails?|calls?|messages?|voicemails?|texts?|reminders?|follow-?ups?|chasers?)\\b`,
  'i',
);

export const UNMANAGED_RE = /\b(un-?managed|not managed|no account (team|manager|executive)s?( assigned)?|without an account (team|manager))\b/i;
export const MANAGED_RE = /\b(managed|account (team|manager|executive|exec|owner)s?|escalat\w+)\b/i;

/** New purchase or newly added workload (Status Unknown's other reason). */
export const NEW_SUBSCRIPTION_RE =
  /\b(bought|purchased|purchase|new (subscription|licen[cs]es?|workload|sku|tenant)|(was|were|just) added|added to the tenant|just (bought|acquired)|renewal|upgrade|provisioned|subscription)\b/i;

/** Positive intent or active work: the customer means to use the service. */
export const POSITIVE_INTENT_RE = new RegExp(
  `\\b(${words([
    'wants?', 'wanted', 'would like', 'needs?', 'plans? to', 'planned', 'planning to', 'intends?', 'intend(?:ed|ing)', 'intention to', 'committed', 'commits',
    'aims?', 'aiming', 'goal', 'targets?', 'targeted', 'targeting', 'keen', 'eager', 'ready to', 'looking to', 'expects? to', 'agreed to',
    'go-?live', 'deploying', 'rolling out', 'being rolled out', 'rolled out', 'migrating', 'moving', 'piloting', 'onboarding', 'enrolling',
    'configuring', 'adopting', 'implementing', 'upgrading', 'packaging', 'being (?:deployed|migrated|configured|adopted)', 'under ?way', 'ongoing',
    'in progress', 'is live', 'went live', 'by (?:the )?end of', 'by (?:q[1-4]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\\w*', 'by \\d',
  ])})\\b`,
  'i',
);

/** Measured progress ("200 of 650", "60%"). */
export const PROGRESS_RE = /(\b\d[\d,]*\s?%|\b\d[\d,]* of [\d,]+\b|\b(wave|phase|batch) \d+\b|\bhalf of\b)/i;

/** Words that, in a Blocked note, carry the customer's intent: something stops a wanted rollout. */
export const BLOCKED_RE =
  /\b(blocked|blocking|blocker|stuck|unable|cannot|can't|can not|held up|holding|stalled|on hold|paused|stopped|waits? (on|for)|waiting (on|for)|prevents?|stops?|until)\b/i;

/** Strong statements of no intent. */
export const NO_INTENT_STRONG_RE =
  /\b(no intent\w*|no intention|no plans?( to)?|not interested|no interest|has no plans|decided (against|not to))\b/i;

/** Softer statements of no intent; read as no intent only when not followed by a condition ("until"). */
export const NO_INTENT_SOFT_RE = new RegExp(
  `\\b(${words([
    "(?:does not|doesn't|do not|don't|will not|won't|not going to) (?:want|plan|intend|use|deploy|adopt|move|need|see)",
    'declined', 'sees? no (?:value|reason|need|benefit|gain)', 'no (?:value|business) case', 'not a priority', 'no appetite', 'rejected', 'refused',
    'stay(?:s|ing)? (?:on|with)', 'keeps?', 'keeping', 'standardi[sz]ed on', 'happy with', 'prefers?', 'preferred', 'chose', 'has chosen', 'no need',
    'will keep', 'sticking with',
  ])})\\b`,
  'i',
);

/** Duplicate or invalid tenant. */
export const DUPLICATE_RE = /(?<!-)\b(duplicates?|duplicated|invalid|test tenant|trial tenant|lab tenant|demo tenant|sandbox|not a (real )?customer)\b/i;
export const NEGATED_DUPLICATE_RE = /\bnot (a |an )?(real |true |genuine )?(duplicate|invalid)\b/i;
/** What makes a duplicate/invalid note actionable: which tenant, or why it is invalid. */
export const DUPLICATE_DETAIL_RE =
  /(\b[\w-]+\.(onmicrosoft\.com|com|net|org|co\.uk|de|fr|io)\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b(trial|test|lab|demo|sandbox|proof of concept|poc|pilot tenant|mistake|typo|merged|consolidated|refunded|cancel+ed|closed|decommissioned|abandoned|never used|unused|main|production|primary|real|training|empty|no (active )?users)\b)/i;

/**
 * Why a subscription or tenant is invalid, said outright: made by mistake or for the wrong customer,
 * ordered twice, cancelled, reversed or credited, or for internal use.
 */
export const INVALID_CAUSE_RE = new RegExp(
  `\\b(${words([
    'in error', 'by (?:mistake|accident|error)', 'mistaken(?:ly)?', 'accidental(?:ly)?', 'erroneous(?:ly)?',
    'wrong (?:customer|tenant|partner|domain|order|sku|product|plan|reseller|account|region|country)',
    '(?:ordered|bought|purchased|created|provisioned|added|booked|entered|registered|billed) twice', 'double[- ](?:order(?:ed)?|booked|entered|counted|billed)',
    'revers(?:ed|ing|al)', 'credit(?:ed)? (?:note|back)', 'cancell?ations?', 'cancel(?:s|ing|ling)?', 'void(?:ed)?', 'returned', 'refund(?:ed|ing)?',
    '(?:to be|will be|being|is being|was|has been) (?:deleted|removed|closed|returned|credited|voided)',
    'internal (?:use|test(?:ing)?|demo)', "(?:employee|staff|personal|developer|partner)(?:'s)? (?:own )?(?:tenant|test|demo|sandbox|subscription)",
    'not a (?:real |paying )?customer', 'no (?:real|paying) customer',
  ])})\\b`,
  'i',
);
/** An invalid (not duplicate) note: it needs why, where a duplicate needs which record. */
export const INVALID_CUE_RE = /\b(invalid|not a (real |paying )?customer)\b/i;

/**
 * Words in a duplicate note that point at the record it duplicates ("duplicate of", "same customer as",
 * "merged into", "the real tenant"); a name in the same sentence is then taken as that record's.
 */
export const DUPLICATE_POINTER_RE =
  /\b(duplicat\w*|same (customer|tenant|company|organi[sz]ation|account|business) as|copy of|merged (into|with)|belongs? to|(already )?(tracked|recorded|listed|registered|held|kept|managed) (as|under|on|in|with|by)|(real|actual|live|active|main|correct|right) (one|tenant|record|customer|account|entitlements?|licen[cs]es?|subscriptions?))\b/i;
/** A record given by its id: "tenant nw-traders-01", "customer 4411", "record #12". */
export const RECORD_ID_RE =
  /(\b(tenant|customer|record|account|subscription|id)\b[\s:#]*(id\b[\s:#]*)?([\p{L}\p{N}]+([-_.][\p{L}\p{N}]+)+|\p{L}*\p{N}[\p{L}\p{N}-]*)|#\d+)/iu;
/** A name in double quotes: "Birch Health Group". */
export const QUOTED_NAME_RE = /["\u201c][^"\u201d\n]{2,80}["\u201d]/;
/** Capitalised words that name no tenant or customer: pronouns, statuses, products, months and days, generic nouns. */
export const NOT_A_NAME = new Set(
  (
    'i i\'m i\'ve we they he she it the this that these those a an another other same see please per also our their its my your ' +
    'duplicate duplicates duplicated invalid tenant tenants customer customers record records account accounts subscription subscriptions ' +
    'partner partners reseller resellers distributor entitlement entitlements licence licences license licenses ' +
    'status unknown blocked progress intent no yes not ' +
    'microsoft office windows teams exchange online sharepoint onedrive intune azure entra defender yammer viva outlook purview copilot power ' +
    'project visio dynamics apps enterprise business premium ' +
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday'
  ).split(' '),
);

/** Active progress that reads as In Progress. */
export const ACTIVE_PROGRESS_RE =
  /\b((is|are) (now )?(deploying|migrating|rolling out|piloting|adopting|enrolling|configuring|moving)|piloting|being rolled out|under ?way|\d[\d,]*\s?% (done|complete|active|migrated|enrolled)|\d+% active)\b/i;

/** Positive intent held back by something: reads as Blocked. */
export const WANT_BUT_RE =
  /\b(wants?|would like|intends?|plans? to|keen|eager|committed)\b[^.;]{0,80}?(\b(cannot|can't|unable|blocked|held up|on hold|stopped)\b|\b(but|however)\b[^.;]{0,60}\buntil\b)/i;
export const BLOCKED_STRONG_RE =
  /\b(blocked|stuck|on hold|held up|stalled|(cannot|can't|unable to) (proceed|start|continue|go ahead|deploy|roll out|migrate|move))\b/i;

/** Reason words too vague to act on. */
export const VAGUE_RE = new RegExp(
  `\\b(${words([
    'issues?', 'problems?', 'challenges?', 'concerns?', 'things?', 'stuff', 'reasons?', 'infrastructure', 'cloud', 'data', 'legal', 'technical',
    'technology', 'tech', 'internal', 'various', 'other', 'priorities', 'complications?', 'difficult(?:y|ies)', 'situation', 'matters?', 'topics?',
    'blockers?', 'obstacles?', 'delays?', 'constraints?', 'complexity', 'solutions?', 'security', 'compliance', 'another one', 'business',
  ])})\\b`,
  'i',
);

/** Concrete reasons across the Blocked and No Intent codes: technology, people, rules, products, decisions. */
export const CONCRETE_RE = new RegExp(
  `\\b(${words([
    // the customer's technology
    'firewalls?', 'prox(?:y|ies)', 'bandwidth', 'network', 'vpn', 'dns', 'routers?', 'sbcs?', 'firmware', 'windows (?:7|8|xp|10)', 'legacy',
    'old (?:clients?|browsers?|pcs|devices|servers?|hardware|machines)', 'internet explorer', 'browsers?', 'office 20\\d\\d', 'exchange 20\\d\\d',
    'hybrid', 'active directory', 'ad ?fs', 'directory', 'domain controllers?', 'certificates?', 'tls', 'ports?', 'endpoints', 'hardware', 'servers?',
    'data ?cent(?:er|re)s?', 'citrix', 'vdi', 'wan', 'mpls', 'sync', 'image', 'devices',
    // IT organisation
    'capacity', 'staff(?:ing)?', 'headcount', 'admins?', 'skills?', 'budget', 'contractors?', 'hiring', 'understaffed', 'two-person', 'three-person',
    'change (?:board|freeze|process|advisory|window)s?', 'cab', 'regression', 'testing', 'patch\\w*', 'update (?:cadence|policy|rings?)',
    'release (?:cycle|cadence)', 'monitoring', 'incident (?:process|handling)', 'policy', 'policies', 'too busy', 'no time', 'soc',
    // law and regulation
    'laws?', 'regulat\\w+', 'gdpr', 'hipaa', 'data residency', 'residency', 'sovereignty', 'in-country', 'in the country', 'jurisdiction',
    'sector rules?', '(?:leave|outside|hosted in|stored in|stay in) (?:the )?(?:eu|country|region|uk|us)', 'works council', 'counsel', 'outsourcing', 'patient records', 'government', 'audit\\w*',
    // security and privacy
    'encryption', 'privacy', 'data protection', 'dpo', 'pen(?:etration)? tests?', 'risk assessment', 'security review', 'third-party', 'data leakage',
    'dlp', 'mfa', 'conditional access', 'permissions?', 'access controls?', 'retention', 'ediscovery', 'byok', 'contract terms',
    // business readiness
    'training', 'trained', 'end users?', 'champions?', 'communication plan', 'communications?', 'comms', 'culture', 'business process\\w*',
    'fatigue', 'hr', 'fear', 'readiness', 'frontline',
    // product
    'features?', 'missing', 'not supported', 'unsupported', 'does not support', "doesn't support", 'bugs?', 'capabilit(?:y|ies)', 'certification',
    'certified', 'certify', 'fedramp', 'roadmap', 'feature request', 'limitation', 'functionality', 'linux', 'api',
    // reliability
    'outages?', 'latency', 'performance', 'slow', 'drops?', 'dropping', 'dropped', 'downtime', 'reliability', 'sla', 'incidents?', 'disruptions?', 'dropped calls', 'cut calls',
    // applications
    'apps?', 'applications?', 'add-ins?', 'plug-?ins?', 'line-of-business', 'lob', 'erp', 'crm', 'sap', 'claims system', 'integrations?', 'macros?', 'vba',
    // partner
    'partners?', 'statement of work', 'sow', 'scope', 'vendor', 'procurement', 'reseller', 'consultancy',
    // billing and licensing
    'licen[cs]\\w*', 'skus?', 'seats?', 'e[135]', 'f3', 'business premium', 'subscriptions?', 'billing', 'invoices?', 'purchase orders?', 'renewal',
    'tenant move', 'true-up', 'csp', 'enterprise agreement', 'purchasing', 'order',
    // rival products
    'google workspace', 'g suite', 'gmail', 'google', 'slack', 'zoom', 'webex', 'box', 'dropbox', 'jamf', 'okta', 'vmware', 'workspace one', 'mobileiron',
    'crowdstrike', 'sophos', 'symantec', 'proofpoint', 'mimecast', 'salesforce', 'asana', 'jira', 'confluence', 'smartsheet', 'trello', 'notion',
    'sentinelone', 'kandji', 'competitors?', 'rival',
    // on-premises products
    'on-?prem\\w*', 'on premises', 'exchange server', 'sharepoint server', 'sharepoint 20\\d\\d', 'skype for business server', 'configmgr', 'sccm',
    'mecm', 'file servers?', 'own servers', 'lync',
    // decisions and sponsorship
    'leadership', 'sponsor\\w*', 'executives?', 'board', 'priority', 'merger', 'acquisition', 'acquired', 'divest\\w*', 'reorg\\w*',
    'restructur\\w*', 'freeze', 'froze', 'frozen', 'integration plan', 'business case', 'value case', 'decision makers?', 'buy-in', 'intranet',
  ])})\\b`,
  'i',
);

/** In Progress: what is being deployed, moved or adopted, and how far. */
export const PROGRESS_OBJECT_RE = new RegExp(
  `\\b(${words([
    'mailbox(?:es)?', 'archives?', 'sites?', 'team sites', 'file shares?', 'home drives?', 'devices?', 'laptops?', 'desktops?', 'pcs', 'phones?', 'iphones?',
    'ipads?', 'users?', 'staff', 'employees', 'workers', 'policies', 'policy', 'waves?', 'pilot', 'batch(?:es)?', 'cutover', 'enrol\\w*', 'champions?',
    'training', 'usage', 'active', 'adoption', 'autopilot', 'conditional access', 'azure ad connect', 'known folder move', 'sync client', 'rooms',
    'communities', 'channel', 'configmgr', 'go-?live', 'compliance', 'profiles', 'departments?', 'divisions?', 'stores?', 'offices?', 'licen[cs]es',
  ])})\\b`,
  'i',
);

/** Narrative signals: meeting history, reported speech, several topics, speculation. */
export const MEETING_RE =
  /\b(met|meetings?|spoke|talked|discussed|mentioned|said|told us|explained|qbr|visit(ed)?|conversation|heard|had a (long )?call|on the [\w\s]{0,12}call|during [\w\s']{0,20}call|weekly call|joined)\b/i;
export const TOPICS_RE = /\b(also|as well|in addition|another topic|other topics|besides|in the meantime|meanwhile)\b/i;
export const SPECULATION_RE = /\b(might|maybe|perhaps|possibl[ey]|probabl[ey]|not sure|thinks?|guess|seems?|could)\b/i;
export const FIRST_PERSON_RE = /\b(we|i)\b/i;
export const WEEKDAY_RE = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|last week|next week|yesterday|today|tomorrow)\b/i;

/** Scope that applies to every workload of the customer (a pasted note can be fair). */
export const TENANT_WIDE_RE =
  /(\b(all|any|every) (new )?(cloud |it |microsoft 365 |m365 |office 365 )?(services?|projects?|workloads?|rollouts?|products?|changes?|spend(ing)?)\b|\b(company|tenant|organi[sz]ation)-wide\b|\bacross (all|every)\b)/i;

/** Words that name a workload, keyed by canonical workload; product names are case-sensitive. */
export const WORKLOAD_TERMS: readonly { workload: string; aliases: RegExp; terms: RegExp }[] = [
  { workload: 'Exchange Online', aliases: /\b(exchange|exo|mail|e-?mail|outlook)\b/i, terms: /\b(Exchange|[Mm]ailbox(es)?|[Mm]ail (flow|migration|server)|Gmail)\b/ },
  { workload: 'Teams', aliases: /\bteams\b/i, terms: /\b(Teams|Zoom|Slack|Webex|[Mm]eetings|[Cc]alls|[Cc]alling|[Cc]hat|Direct Routing)\b/ },
  { workload: 'SharePoint Online', aliases: /\b(sharepoint|spo)\b/i, terms: /\b(SharePoint|[Ii]ntranet|[Tt]eam sites?|[Dd]ocument librar(y|ies)|[Ff]ile shares?)\b/ },
  { workload: 'OneDrive', aliases: /\bone ?drive\b/i, terms: /\b(OneDrive|[Hh]ome drives?|Box|Dropbox|Known Folder Move|[Ss]ync client)\b/ },
  { workload: 'Intune', aliases: /\b(intune|endpoint manager|mdm)\b/i, terms: /\b(Intune|Autopilot|MDM|Jamf|[Dd]evice management|[Ee]nrol(l)?ment|ConfigMgr|SCCM)\b/ },
  { workload: 'Windows', aliases: /^\s*windows\b/i, terms: /\b(Windows 1[01]|Windows upgrade)\b/ },
  { workload: 'Microsoft 365 Apps', aliases: /\b(365 apps|office apps|m365 apps|office 365 proplus|proplus)\b/i, terms: /\b(Microsoft 365 Apps|Office 20\d\d|[Mm]onthly channel)\b/ },
  { workload: 'Yammer', aliases: /\b(yammer|viva engage)\b/i, terms: /\b(Yammer|Viva Engage)\b/ },
  { workload: 'Defender', aliases: /\bdefender\b/i, terms: /\b(Defender|CrowdStrike|[Aa]ntivirus|EDR)\b/ },
  { workload: 'Azure AD Premium', aliases: /\b(azure ad|aad|entra)\b/i, terms: /\b(Azure AD|Entra|[Cc]onditional access|Okta)\b/ },
  { workload: 'Project Online', aliases: /\bproject online\b/i, terms: /\b(Project Online|PMO|Smartsheet)\b/ },
];

/** Filler words ignored when deciding whether a note only repeats a status. */
export const BARE_FILLER = new Set(['customer', 'customers', 'status', 'the', 'is', 'a', 'l1', 'l2', 'currently', 'still', 'mailbox', 'mailboxes', 'mail', 'tenant']);

/** Every word of an L1 or L2 name, and stock phrases that say nothing more than a status. */
export const STATUS_VOCABULARY = new Set(
  (
    'status unknown in progress no intent blocked duplicate invalid customer unresponsive new subscription or workload technical onboarding and ' +
    'deployment migration solution user adoption using competitive microsoft on premises prem executive sponsorship it infrastructure remediation ' +
    'change management resourcing legal regulatory security privacy non product feature capability readiness service reliability app compatibility ' +
    'partner engagement billing licensing wip ongoing track going well fine ok okay progressing pending tbd tbc n a na none update updates nothing ' +
    'same as above see stuck hold interested interest not response reply answer responding rollout deploy deployed good all'
  ).split(' '),
);

/** Words that introduce a cause; the clause after one is checked for specific content. */
export const CAUSE_RE = /\b(because( of)?|due to|owing to|caused by|as a result of|blocked by|held up by|stuck (on|behind)|waiting (on|for)|waits (on|for)|since|as)\b/gi;

/**
 * A named department, office or role followed by what it decides or demands ("Legal forbids",
 * "the works council has not approved"); the clause after it is checked for specific content.
 */
export const DEPARTMENT_ACTION_RE = new RegExp(
  `\\b(?:the |their |its |customer(?:'s)? )?(?:${words([
    'legal', 'compliance', 'security', 'privacy', 'procurement', 'purchasing', 'finance', 'hr', 'human resources', 'risk', 'audit', 'internal audit',
    'works council', 'union', 'data protection officer', 'dpo', 'ciso', 'cso', 'general counsel', 'counsel', 'board', 'it security', 'infosec',
  ])})(?: (?:team|department|dept|office|officer|function|group|committee))?\\s+(?:${words([
    'forbids?', 'forbade', 'prohibits?', 'prohibited', 'bans?', 'banned', 'requires?', 'required', 'demands?', 'demanded', 'mandates?', 'insists?( on| that)?',
    'refuses?( to)?', 'refused( to)?', 'rejects?', 'rejected', 'vetoe?[sd]?', 'blocks?', 'blocked', 'objects?( to)?', 'objected( to)?', 'stopped', 'stops',
    'will not (?:allow|approve|accept|sign off|sign)', "won't (?:allow|approve|accept|sign off|sign)", '(?:does|did|do) not (?:allow|approve|accept|permit)',
    "(?:doesn't|didn't|don't) (?:allow|approve|accept|permit)", '(?:has|have) not (?:approved|accepted|allowed)', "(?:hasn't|haven't) (?:approved|accepted|allowed)",
    'only allows?', 'only accepts?', 'wants?', 'needs?',
  ])})\\b`,
  'gi',
);

/** Words that carry no specifics of their own when they follow a cause word. */
export const UNSPECIFIC_WORDS = new Set(
  (
    'a an the some any all this that these those their its his her our your my of to in on at for with by from and or but not no ' +
    'is are was were be been being has have had do does did will would can could should may might must it they them he she we you i ' +
    'customer customers client team teams side company they their them more other another one ones thing things stuff issue issues problem problems ' +
    'challenge challenges concern concerns reason reasons infrastructure cloud data legal technical technology tech internal various ' +
    'priorities complications difficulty difficulties situation matter matters topic topics blocker blockers obstacle obstacles delay delays ' +
    'constraint constraints complexity solution solutions security compliance business now currently yet still time times what which who ' +
    'it\'s there here then than very much many lot lots get got getting being them approval decision feedback answer reply response input update ' +
    'call calls meeting meetings discuss discussion kick-off kickoff workshop agenda calendar invite session sessions follow-up schedule ' +
    'scheduled week month next cio ceo cto cfo manager director lead contact person people someone them'
  ).split(' '),
);

/** Acronyms that name something specific (ITAR, SBC, EU); common role and filler acronyms excluded. */
export const ACRONYM_RE = /\b(?!(?:IT|CIO|CEO|CFO|CTO|COO|AE|AM|TAM|CSM|PM|QBR|TBD|TBC|NA|OK|ASAP|FYI|EOD|EOW|ETA|IMO|AFAIK|FY|Q[1-4]|AD|MS|M365|O365)\b)[A-Z][A-Z0-9]{1,7}\b/;
