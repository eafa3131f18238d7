/** Nest injection token of the ingress's ResponseConversationStore (one per process). */
export const RESPONSE_CONVERSATIONS = Symbol('RESPONSE_CONVERSATIONS');
