/**
 * A playbook with an L1 of its own ("Paused", with an L1 page) and one L2 of another own L1 ("Active"),
 * for the note coach's playbook guidance: the Status Note cells of the Paused page's Entitlement
 * Scenarios are the guidance for Paused notes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATUS_NOTE_FREEZE = 'Say which budget line is frozen and the month it is reviewed again';
export const STATUS_NOTE_REORG = 'Name the department being reorganised and who signs off once it settles';

function l2Page(l2: string, definition: string, scenario: string): string {
  return `---
title: Paused - ${l2}
description: The rollout waits on the customer's side.
author: Helper tests
date: 11/27/2026
---

# ${l2}

> [!IMPORTANT]
> **Definition:** ${definition}

## Valid Example Scenarios

| Valid Example Scenario | Scenario Status |
| :--: | :--: |
| ${scenario} | ${l2} |
`;
}

function l1Page(table: boolean): string {
  const scenarios = `
## Entitlement Scenarios

| Scenario | Who Updates | L1 | L2 | Target Date | Owner | Status Note | Next Action |
| :-- | :-- | :-- | :-- | :-- | :-- | :-- | :-- |
| Spending stopped until the next budget round | Delivery lead | Paused | Budget Freeze | Review month | Delivery lead | ${STATUS_NOTE_FREEZE} | Ask finance for the review date |
| Teams are being merged and owners change | Delivery lead | Paused | Reorganisation | Sign-off date | Delivery lead | ${STATUS_NOTE_REORG} | Meet the new owner |
| The hold is lifted and work goes on | Delivery lead | Active | Rolling Out | Finish date | Delivery lead | Say what restarted | Set a new finish date |
`;
  return `---
title: Paused
description: Overview of the Paused state.
author: Helper tests
date: 11/27/2026
---

# Paused

> [!IMPORTANT]
> **Definition:** The customer still wants the service but has put the rollout on hold for a reason of its own. Paused ends when the hold is lifted.
${table ? scenarios : ''}`;
}

/** Writes the pages into `dir`; `table`: the Paused page has its Entitlement Scenarios table. */
export function writeGuidancePlaybook(dir: string, table: boolean): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'paused.md'), l1Page(table));
  writeFileSync(join(dir, 'paused--budget-freeze.md'), l2Page('Budget Freeze', 'Money for the rollout is frozen until a later budget round.', 'Finance froze all new IT spending until the autumn review.'));
  writeFileSync(join(dir, 'paused--reorganisation.md'), l2Page('Reorganisation', 'The teams who would run the rollout are being merged or reshaped.', 'IT and facilities are merging and nobody owns the project until March.'));
  writeFileSync(join(dir, 'active--rolling-out.md'), l2Page('Rolling Out', 'Deployment goes ahead without anything in its way.', 'Half the sites are live and the rest follow by June.').replace(/Paused - /, 'Active - '));
}
