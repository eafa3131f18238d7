import { type ChatCompletionRequest } from './chat-completion-request.schema';

/** One guardable text in a request, addressed by its JSON path. */
export interface ChatTextPart {
  readonly path: string;
  readonly text: string;
}

/** Every text a guardrail must see: string contents and text content parts. */
export function chatTextParts(request: ChatCompletionRequest): ChatTextPart[] {
  const parts: ChatTextPart[] = [];
  request.messages.forEach((message, index) => {
    const content = message.content;
    if (typeof content === 'string') {
      parts.push({ path: `messages.${index}.content`, text: content });
    } else if (Array.isArray(content)) {
      content.forEach((part, partIndex) => {
        if (typeof part.text === 'string') {
          parts.push({ path: `messages.${index}.content.${partIndex}.text`, text: part.text });
        }
      });
    }
  });
  return parts;
}

/** Writes replacement texts back at their paths (as produced by chatTextParts). */
export function applyChatTextParts(
  request: ChatCompletionRequest,
  replacements: readonly ChatTextPart[],
): void {
  for (const { path, text } of replacements) {
    const segments = path.split('.');
    const message = request.messages[Number(segments[1])];
    if (!message) continue;
    if (segments.length === 3) {
      message.content = text;
    } else if (Array.isArray(message.content)) {
      const part = message.content[Number(segments[3])];
      if (part) part.text = text;
    }
  }
}
