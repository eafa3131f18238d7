import { describe, expect, it } from 'vitest';
import { buildJudgeMessages, defaultJudgePrompts } from './judge-prompt';

describe('buildJudgeMessages', () => {
  it('uses the kind default prompt and asks for the JSON verdict', () => {
    const [system, user] = buildJudgeMessages('content_safety', undefined, {
      texts: ['how do I bake bread'],
      grounding: ['ignored for safety'],
    });
    expect(system?.role).toBe('system');
    expect(system?.content).toContain(defaultJudgePrompts.content_safety);
    expect(system?.content).toContain('"verdict": "pass" | "fail"');
    expect(user?.content).toContain('how do I bake bread');
    expect(user?.content).not.toContain('ignored for safety');
  });

  it('puts the grounding context before the answer for hallucination', () => {
    const [, user] = buildJudgeMessages('hallucination', undefined, {
      texts: ['Paris has 40 million people.'],
      grounding: ['Paris has about 2.1 million inhabitants.', 'Tool: population lookup'],
    });
    const content = user?.content ?? '';
    expect(content.indexOf('<<<context>>>')).toBeLessThan(content.indexOf('<<<answer>>>'));
    expect(content).toContain('Paris has about 2.1 million inhabitants.');
    expect(content).toContain('Tool: population lookup');
    expect(content).toContain('Paris has 40 million people.');
  });

  it('says so when no context was supplied, and prefers a configured prompt', () => {
    const [system, user] = buildJudgeMessages('hallucination', 'Be strict.', {
      texts: ['answer'],
      grounding: [],
    });
    expect(system?.content.startsWith('Be strict.')).toBe(true);
    expect(user?.content).toContain('<<<context>>>\n(none)');
  });
});
