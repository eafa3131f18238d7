import { type Principal } from '@aigw/contracts';
import { GatewayError, GatewayErrorCode } from '@aigw/core';
import {
  assistantMessageOfOutput,
  type ChatCompletionRequest,
  type ResponsesOutputItem,
} from '@aigw/llm-api';
import { instructionMessages, type ResponsesBody } from './responses-body';
import { type ConversationStore } from './response-conversation-store';

/**
 * One Responses API call's conversation: joins the stored turns of `previous_response_id`
 * (instructions are not carried over, as with OpenAI) and keeps this response's turns for the
 * next call unless the request says `store: false`.
 */
export class ResponsesConversation {
  private principalId: string | undefined;

  constructor(
    private readonly store: ConversationStore,
    private readonly body: ResponsesBody,
  ) {}

  /** The pipeline's resolveConversation hook: runs once the caller is authorised. */
  async resolve(principal: Principal | undefined, chat: ChatCompletionRequest): Promise<void> {
    this.principalId = principal?.id;
    const previousId = this.body.request.previous_response_id;
    if (!previousId) return;
    const history = this.principalId
      ? await this.store.load(this.principalId, previousId)
      : undefined;
    if (!history) {
      throw new GatewayError(
        GatewayErrorCode.InvalidRequest,
        `Previous response with id '${previousId}' not found.`,
        { param: 'previous_response_id' },
      );
    }
    chat.messages.splice(instructionMessages(this.body.request), 0, ...history);
  }

  /** Keeps the conversation that produced `output` under `responseId`. */
  async save(responseId: string, output: readonly ResponsesOutputItem[]): Promise<void> {
    if (this.body.request.store === false || !this.principalId) return;
    const turns = this.body.chat.messages.slice(instructionMessages(this.body.request));
    await this.store.save(this.principalId, responseId, [
      ...turns,
      assistantMessageOfOutput(output),
    ]);
  }
}
