import { describe, expect, it } from 'vitest';
import { type EntitySpan, selectSpans } from '../entity-span';
import { detectPii } from '../pii/pii-detectors';
import { piiEntityTypes } from '../pii/pii-entity';
import { compileSecretDetector } from '../secrets/secret-detector';
import { secretTypes } from '../secrets/secret-patterns';
import { corpusSecretOptions, detectionCorpus } from './detection-corpus.test-support';

interface Tally {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

const secrets = compileSecretDetector({ types: secretTypes, ...corpusSecretOptions });

/** Every detector together, as an endpoint with both guardrails would run them. */
function detectAll(text: string): EntitySpan[] {
  return selectSpans([secrets(text), detectPii(text, piiEntityTypes)]);
}

function tallyCorpus(): { tallies: Map<string, Tally>; misses: string[] } {
  const tallies = new Map<string, Tally>();
  const tally = (type: string): Tally => {
    let entry = tallies.get(type);
    if (!entry)
      tallies.set(type, (entry = { truePositives: 0, falsePositives: 0, falseNegatives: 0 }));
    return entry;
  };
  const misses: string[] = [];
  for (const sample of detectionCorpus) {
    const found = detectAll(sample.text).map((span) => ({
      type: span.type,
      value: sample.text.slice(span.start, span.end),
    }));
    const expected = [...sample.entities];
    for (const hit of found) {
      const index = expected.findIndex(
        (entity) => entity.type === hit.type && entity.value === hit.value,
      );
      if (index >= 0) {
        expected.splice(index, 1);
        tally(hit.type).truePositives++;
      } else {
        tally(hit.type).falsePositives++;
        misses.push(`false positive ${hit.type} "${hit.value}" in: ${sample.text}`);
      }
    }
    for (const missed of expected) {
      tally(missed.type).falseNegatives++;
      misses.push(`missed ${missed.type} "${missed.value}" in: ${sample.text}`);
    }
  }
  return { tallies, misses };
}

describe('detection quality on the labelled corpus', () => {
  const { tallies, misses } = tallyCorpus();
  const rows = [...tallies].map(([type, t]) => ({
    type,
    support: t.truePositives + t.falseNegatives,
    precision: t.truePositives / Math.max(1, t.truePositives + t.falsePositives),
    recall: t.truePositives / Math.max(1, t.truePositives + t.falseNegatives),
  }));

  it('reports precision and recall per entity type', () => {
    console.log(
      ['entity type          support  precision  recall']
        .concat(
          rows.map(
            (row) =>
              `${row.type.padEnd(20)} ${String(row.support).padStart(7)}  ${row.precision.toFixed(3).padStart(9)}  ${row.recall.toFixed(3).padStart(6)}`,
          ),
        )
        .concat(misses.map((miss) => `  ${miss}`))
        .join('\n'),
    );
    expect(rows.length).toBeGreaterThanOrEqual(piiEntityTypes.length + secretTypes.length);
  });

  it.each([...piiEntityTypes, ...secretTypes, 'document_marker', 'never_send_term'])(
    '%s has precision and recall of at least 0.95',
    (type) => {
      const row = rows.find((candidate) => candidate.type === type);
      expect(row, `no labelled samples for ${type}`).toBeDefined();
      expect(row!.precision).toBeGreaterThanOrEqual(0.95);
      expect(row!.recall).toBeGreaterThanOrEqual(0.95);
    },
  );
});
