import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionMessage,
} from 'openai/resources/chat/completions';
import { type CompletionUsage } from 'openai/resources/completions';
import { type ChatAnswer } from './chat-answer';

/** The fields every completion and chunk of one answer share. */
export interface CompletionIdentity {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

const systemFingerprint = 'fp_aigw_mock';
const argumentsPieceLength = 8;

/** The non-streaming `chat.completion` object for an answer. */
export function buildChatCompletion(
  identity: CompletionIdentity,
  answer: ChatAnswer,
  usage: CompletionUsage,
): ChatCompletion {
  const message: ChatCompletionMessage =
    answer.kind === 'text'
      ? { role: 'assistant', content: answer.content, refusal: null, annotations: [] }
      : {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [],
          tool_calls: [
            {
              id: answer.callId,
              type: 'function',
              function: { name: answer.name, arguments: answer.arguments },
            },
          ],
        };
  return {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    service_tier: 'default',
    system_fingerprint: systemFingerprint,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReasonOf(answer) }],
    usage,
  };
}

/**
 * The `chat.completion.chunk` sequence for an answer: a first chunk with the role, the content
 * (or tool-call arguments) in several deltas, a chunk with the finish reason and, when `usage`
 * is given (`stream_options.include_usage`), a last chunk with empty choices and the usage.
 */
export function buildChatCompletionChunks(
  identity: CompletionIdentity,
  answer: ChatAnswer,
  usage: CompletionUsage | undefined,
): ChatCompletionChunk[] {
  // Plain literals with one shape (no spreads): this runs for every chunk of every stream.
  const { id, created, model } = identity;
  const chunkUsage = usage ? null : undefined;
  const chunk = (
    delta: ChatCompletionChunk.Choice.Delta,
    finishReason: ChatCompletionChunk.Choice['finish_reason'] = null,
  ): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: 'default',
    system_fingerprint: systemFingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: chunkUsage,
  });

  const chunks: ChatCompletionChunk[] = [];
  if (answer.kind === 'text') {
    chunks.push(chunk({ role: 'assistant', content: '', refusal: null }));
    for (const piece of splitIntoWords(answer.content)) chunks.push(chunk({ content: piece }));
  } else {
    chunks.push(
      chunk({
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          {
            index: 0,
            id: answer.callId,
            type: 'function',
            function: { name: answer.name, arguments: '' },
          },
        ],
      }),
    );
    for (const piece of splitIntoPieces(answer.arguments, argumentsPieceLength)) {
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  }
  chunks.push(chunk({}, finishReasonOf(answer)));
  if (usage) chunks.push({ ...chunk({}), choices: [], usage });
  return chunks;
}

function finishReasonOf(answer: ChatAnswer): 'stop' | 'length' | 'tool_calls' {
  return answer.kind === 'text' ? answer.finishReason : 'tool_calls';
}

// Word-sized deltas with the leading space attached, like a tokenizer's output; they
// concatenate back to exactly the original text.
function splitIntoWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function splitIntoPieces(text: string, length: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += length) {
    pieces.push(text.slice(start, start + length));
  }
  return pieces;
}
