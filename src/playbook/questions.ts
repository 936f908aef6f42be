import type { List, ListItem } from 'mdast';
import { plainText } from './markdown.js';
import type { Question } from './types.js';

/** Questions of a list: each item's own text, nested lists as children. Empty items pass their children up. */
export function readQuestions(list: List): Question[] {
  const out: Question[] = [];
  for (const item of list.children as ListItem[]) {
    const own = item.children.filter((c) => c.type !== 'list');
    const text = plainText(own);
    const children = item.children.filter((c): c is List => c.type === 'list').flatMap((l) => readQuestions(l));
    if (text === '') out.push(...children);
    else out.push({ text, children });
  }
  return out;
}

/** Number of questions including nested ones. */
export function countQuestions(questions: readonly Question[]): number {
  return questions.reduce((n, q) => n + 1 + countQuestions(q.children), 0);
}
