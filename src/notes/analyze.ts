/** Sentence, token and entity analysis with wink-nlp; the library and its model load once, on first use. */
import { createRequire } from 'node:module';
import type winkNLP from 'wink-nlp';
import type model from 'wink-eng-lite-web-model';

type Nlp = ReturnType<typeof winkNLP>;
let nlp: Nlp | undefined;

/*
 * Both packages are CommonJS, so they are required here when the first note is analysed rather than
 * imported with this module: loading the model takes a noticeable share of a start-up, and a process
 * that holds the note coach without grading (the CLI's tracker commands) never needs it.
 */
const requireWink = createRequire(import.meta.url);

function getNlp(): Nlp {
  nlp ??= (requireWink('wink-nlp') as typeof winkNLP)(requireWink('wink-eng-lite-web-model') as typeof model, ['sbd', 'pos', 'ner']);
  return nlp;
}

export interface NoteAnalysis {
  sentences: number;
  /** Word and number tokens. */
  words: number;
  /** Entities of type DATE, TIME or DURATION. */
  dates: number;
  /** Part-of-speech tags of the word tokens, in order. */
  pos: string[];
}

/** Analyses `text` (already capped by the caller). Never throws: falls back to a plain count. */
export function analyzeText(text: string): NoteAnalysis {
  try {
    const n = getNlp();
    const its = n.its;
    // Dots inside words (domains, versions, "e.g.") are not sentence ends.
    const doc = n.readDoc(text.replace(/\b(e\.g|i\.e|etc|approx|incl|vs)\./gi, (m) => m.replace(/\./g, '_')).replace(/(?<=\w)\.(?=\w)/g, '_'));
    const types = doc.tokens().out(its.type) as string[];
    const pos = doc.tokens().out(its.pos) as string[];
    const wordPos: string[] = [];
    types.forEach((t, i) => {
      if (t === 'word' || t === 'number') wordPos.push(pos[i] ?? 'X');
    });
    const entities = doc.entities().out(its.type) as string[];
    const sentences = doc
      .sentences()
      .out()
      .filter((s: string) => /\p{L}/u.test(s)).length;
    return {
      sentences: Math.max(1, sentences),
      words: wordPos.length,
      dates: entities.filter((e) => e === 'DATE' || e === 'TIME' || e === 'DURATION').length,
      pos: wordPos,
    };
  } catch {
    const words = text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    return { sentences: Math.max(1, text.split(/[.!?]+\s/).length), words, dates: 0, pos: [] };
  }
}
