import { randomBytes } from 'node:crypto';

/** Ids Gemini does not give but OpenAI clients expect; injectable so translations are testable. */
export interface GeminiIdSource {
  /** The `chat.completion` id when the response has no `responseId`. */
  completionId(): string;
  /** A fresh `tool_calls[].id`. */
  toolCallId(): string;
}

export const randomGeminiIds: GeminiIdSource = {
  completionId: () => `chatcmpl-${randomBytes(12).toString('hex')}`,
  toolCallId: () => `call_${randomBytes(12).toString('hex')}`,
};

/** The completion id for a response: Gemini's `responseId` when it sent one. */
export function completionIdOf(responseId: string | undefined, ids: GeminiIdSource): string {
  return responseId ? `chatcmpl-${responseId}` : ids.completionId();
}
