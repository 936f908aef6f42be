/**
 * Playbook pages of a partner's own rollout taxonomy (L1s such as Paused and Live, not the built-in
 * five), written in the page format of docs/PAGE-FORMAT.md, for tests of a partner playbook.
 */

/** An "L1 - L2" page: its definition, valid example scenarios (each of `status`) and one question. */
export function partnerPage(options: { title: string; heading?: string; definition?: string; author?: string; scenarios: readonly string[]; status: string; question?: string }): string {
  return [
    '---',
    `title: ${options.title}`,
    ...(options.author ? [`author: ${options.author}`] : []),
    '---',
    '',
    `# ${options.heading ?? options.title.split(' - ')[1] ?? options.title}`,
    '',
    '> [!IMPORTANT]',
    `> **Definition:** ${options.definition ?? "What the code means for the rollout, in the partner's words."}`,
    '',
    '## Valid Example Scenarios',
    '',
    '| Valid Example Scenario | Scenario Status |',
    '| :--: | :--: |',
    ...options.scenarios.map((s) => `| ${s} | ${options.status} |`),
    '',
    '> [!TIP]',
    '> If you are still unsure, ask the customer:',
    `>    1. ${options.question ?? 'What is missing?'}`,
    '',
  ].join('\n');
}
