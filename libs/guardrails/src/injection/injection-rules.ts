/** One heuristic signal of a prompt-injection or jailbreak attempt. */
export interface InjectionRule {
  /** Reported as the entity type (`injection.ignore_instructions`), never the matched text. */
  readonly signal: string;
  /** How strongly this signal alone suggests an attack, in (0, 1). */
  readonly weight: number;
  readonly pattern: RegExp;
}

const ignoreVerb = '(?:ignore|disregard|forget|skip|override|bypass|drop)';
const priorThing =
  '(?:instructions?|prompts?|rules|directions|directives|guidelines|context|messages?|constraints)';

/**
 * Phrases seen in published jailbreaks and injection corpora. Weights are combined as
 * independent evidence (1 − Π(1 − w)), so two medium signals outweigh one.
 */
export const injectionRules: readonly InjectionRule[] = [
  {
    signal: 'ignore_instructions',
    weight: 0.8,
    pattern: new RegExp(
      `\\b${ignoreVerb}\\s+(?:all\\s+|any\\s+|the\\s+|your\\s+|my\\s+|these\\s+)*(?:previous|prior|above|earlier|preceding|original|initial|system|developer)\\s+${priorThing}`,
      'i',
    ),
  },
  {
    signal: 'ignore_instructions',
    weight: 0.6,
    pattern:
      /\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+(?:you\s+were\s+told|(?:said\s+)?(?:above|before))/i,
  },
  {
    signal: 'persona_override',
    weight: 0.7,
    pattern:
      /\byou\s+are\s+(?:now\s+)?(?:DAN|STAN|DUDE|AIM|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken)\b)|\bdo\s+anything\s+now\b/i,
  },
  {
    signal: 'persona_override',
    weight: 0.5,
    pattern:
      /\b(?:developer|god|jailbreak|dan|unrestricted)\s+mode\b|\bjailbr(?:eak|oken)\b|\bno\s+longer\s+bound\s+by\b/i,
  },
  {
    signal: 'system_prompt_exfiltration',
    weight: 0.7,
    pattern:
      /\b(?:reveal|show|print|repeat|output|display|tell\s+me|give\s+me|leak|dump|what\s+(?:is|are))\s+(?:me\s+)?(?:your|the)\s+(?:full\s+|exact\s+|original\s+|hidden\s+|secret\s+|initial\s+)*(?:system\s+(?:prompt|message|instructions?)|initial\s+instructions|hidden\s+instructions|instructions\s+above|pre-?prompt)/i,
  },
  {
    signal: 'system_prompt_exfiltration',
    weight: 0.5,
    pattern: /\b(?:repeat|print)\s+(?:everything|all(?:\s+the)?\s+text)\s+(?:above|before)\b/i,
  },
  {
    signal: 'role_play_override',
    weight: 0.45,
    pattern:
      /\b(?:pretend|act|behave|role-?play)\s+(?:that\s+)?(?:you\s+are|to\s+be|as(?:\s+if)?)\b[^.!?\n]{0,80}\b(?:no|without|free\s+(?:of|from))\s+(?:any\s+)?(?:restrictions|filters|rules|limits|guidelines|censorship|ethics)/i,
  },
  {
    signal: 'role_play_override',
    weight: 0.4,
    pattern:
      /\bfrom\s+now\s+on,?\s+you\s+(?:will|must|shall|are\s+going\s+to)\s+(?:answer|respond|reply|act)\b/i,
  },
  {
    signal: 'safety_bypass',
    weight: 0.6,
    pattern:
      /\b(?:bypass|override|disable|turn\s+off|ignore)\s+(?:your|the|all|any)\s+(?:safety|content|ethical|moderation)?\s*(?:filters?|policies|guidelines|guardrails|restrictions|safeguards)\b/i,
  },
  {
    signal: 'fake_system_turn',
    weight: 0.5,
    pattern:
      /<\|im_start\|>\s*system|\[\/?(?:SYSTEM|INST)\]|^#{2,}\s*(?:system|new\s+instructions)\b|\b(?:new|updated)\s+system\s+(?:prompt|instructions?)\s*:|\bsystem\s+override\b/im,
  },
  {
    signal: 'encoded_payload',
    weight: 0.5,
    pattern:
      /\b(?:decode|base64[-\s]?decode|rot13|decipher)\b[^.\n]{0,60}\b(?:and|then)\s+(?:follow|execute|run|obey|do)\b/i,
  },
  {
    signal: 'encoded_payload',
    weight: 0.3,
    pattern: /\bbase64\b[^\n]{0,40}[A-Za-z0-9+/]{120,}={0,2}/,
  },
];
