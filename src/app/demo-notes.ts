/**
 * Demo status notes, written for this project, per code. `{w}` is the workload name, `{n}` a small
 * number, `{team}` a team or person, `{m}` a month name. Used only by the demo seed.
 */
export const DEMO_NOTES: Readonly<Record<string, readonly string[]>> = {
  'status-unknown/customer-unresponsive': [
    'Customer has not answered {n} emails and {n} calls about {w} since {m}; unmanaged account, no partner contact on file.',
    'Tried {n} times over email and Teams to reach the IT lead about {w}; no reply. Managed account, asked the account manager for an intro.',
    'No response to {n} attempts (phone, email, LinkedIn) since {m}; intent for {w} unknown.',
  ],
  'status-unknown/new-subscription-or-workload': [
    '{w} licences bought in {m}; intent not yet confirmed, discovery call booked with {team}.',
    'New {w} subscription added to the agreement; we have not learned whether they plan to deploy it this year.',
    'Workload just appeared on the tenant after a renewal; first contact with the customer still pending.',
  ],
  'in-progress/technical-onboarding-and-deployment': [
    'Customer wants {w} for all {n}00 staff; tenant configuration and directory sync under way, pilot group ready by {m}.',
    'Kick-off done and readiness assessment finished; {team} is configuring {w} policies before the first wave.',
    'Deploying {w} to replace the ageing on-premises tooling; remediation items from the assessment are closed, rollout starts {m}.',
  ],
  'in-progress/migration': [
    '{w} is live for the first sites; moving the remaining {n}00 users and their data in weekly batches, {n}0% done.',
    'Content migration from the old file servers into {w} is running; finance and HR sites go last in {m}.',
    'Workload usable since {m}; migrating the remaining {n} departments, cut-over planned before the data centre lease ends.',
  ],
  'in-progress/solution-or-user-adoption': [
    '{w} deployed to everyone; usage at {n}0% of seats, champions programme launching in {m} to lift it.',
    'Rollout complete; now running department trainings so teams stop falling back to email for {w} scenarios.',
    'All users enabled on {w}; adoption campaign with the internal comms team targets the field workforce next.',
  ],
  'no-intent/using-competitive-solution': [
    'No intent for {w}: they signed a three-year deal with a rival suite in {m} and see no reason to switch.',
    'Customer standardised on a competitor for this scenario and the value case for {w} has not landed with the CIO.',
    'They keep a competing product because it is bundled with their ERP contract; no plan to adopt {w}.',
  ],
  'no-intent/using-microsoft-on-premises-solution': [
    'No intent: the on-premises server edition meets their needs and was upgraded last year, so {w} is not on the roadmap.',
    'Customer is staying on the on-premises version until its support ends; no business case yet for {w}.',
  ],
  'no-intent/executive-sponsorship': [
    'No intent because the new CFO froze all new IT projects until the merger closes in {m}.',
    'Leadership sees {w} as low priority after the reorganisation; no sponsor since the CIO left.',
    'Board decision in {m} to pause cloud spending this fiscal year, so nobody owns the {w} rollout.',
  ],
  'blocked/customer-it-infrastructure-and-remediation': [
    'Blocked: their firewall cannot handle the {w} endpoints and the proxy breaks modern authentication; network refresh funded for {m}.',
    'Old Windows 7 clients and an unsupported browser block {w}; {n}00 devices need replacing first.',
    'Directory has {n} untrusted forests; identity consolidation must finish before {w} can go live.',
  ],
  'blocked/it-change-management-and-resourcing': [
    'Blocked: the two IT admins are fully booked on the ERP upgrade and cannot run the {w} change process until {m}.',
    'IT operations will not accept monthly {w} updates under their current release policy; change board reviewing in {m}.',
    'Customer IT lacks the skills to manage {w} policies and has no budget for outside help this quarter.',
  ],
  'blocked/legal-regulatory': [
    'Blocked: national health-data rules require records to stay in-country and {w} data residency is not yet confirmed by their regulator.',
    'Works council must approve {w} under local labour law; hearing scheduled for {m}.',
    'Financial regulator has not signed off on storing client communications in {w}; legal review ongoing.',
  ],
  'blocked/security-privacy-non-product-feature': [
    'Blocked: the CISO will not approve {w} until a third-party risk assessment is done, though the needed controls exist.',
    'Privacy officer objects to {w} telemetry; we showed the settings that disable it, awaiting her sign-off in {m}.',
    'Security team insists on reviewing the contract data-processing terms before enabling {w}.',
  ],
  'blocked/adoption-readiness': [
    'Blocked: business units have no training plan and HR wants change communications written before {w} reaches staff.',
    'Store managers are not ready: no champions and shift workers have no time set aside to learn {w}.',
    'Departments refuse to change their approval process to fit {w}; business sponsor is mapping the new process by {m}.',
  ],
  'blocked/product-feature-capability': [
    'Blocked: {w} lacks the records-retention certification their sector needs; feature request filed, ETA {m}.',
    'A bug in {w} drops the permissions of delegated admins after every sync; support case open, fix promised for {m}.',
    'They need per-site encryption keys which {w} does not offer yet; tracked through the feature-request channel.',
  ],
  'blocked/service-reliability': [
    'Blocked: after the {m} outage leadership doubts {w} availability and wants three months of clean service reports first.',
    'Users in the Asia offices see high latency on {w}; customer will not expand until the service health trend improves.',
  ],
  'blocked/app-compatibility': [
    'Blocked: their claims system add-in does not load in {w} and the vendor has no certified version until {m}.',
    'Line-of-business CRM plugin crashes with {w}; the third-party vendor is testing a fix.',
    'Label-printing app only works with the old client, so {n}0 warehouse sites cannot move to {w}.',
  ],
  'blocked/partner-engagement': [
    'Blocked: customer has not chosen a deployment partner for {w}; procurement tender closes in {m}.',
    'Partner statement of work for {w} is stuck on scope; both sides disagree on who runs the pilot.',
  ],
  'blocked/billing-licensing-and-subscription': [
    'Blocked: {w} seats sit on the wrong tenant after the acquisition; licensing team must move them before rollout.',
    'Customer bought the wrong SKU for {w}; sales specialist is arranging the swap in {m}.',
    'Purchase order for the extra {w} licences is held by finance until the new contract is signed.',
  ],
  'duplicate-invalid': [
    'Tenant is a test environment created by the IT team; all activity happens in their production tenant.',
    'Duplicate record of an existing customer created during the reseller switch.',
  ],
};

/** Weak notes people really write; the demo uses them on a few statuses so note-quality reports have something to show. */
export const WEAK_NOTES: readonly string[] = ['In progress', 'waiting on customer', 'infrastructure issues', 'scheduling the kick-off for now', 'see previous note', 'following up'];
