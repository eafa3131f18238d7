import {
  type ChatCompletionRequest,
  type ChatMessage,
} from '../openai/chat-completion-request.schema';
import {
  chatFunctionToolSchema,
  chatImagePartSchema,
  chatRequestToolCallsSchema,
  chatToolChoiceSchema,
} from '../openai/chat-message-fields.schema';
import {
  type GeminiContent,
  type GeminiFunctionDeclaration,
  type GeminiGenerateContentRequest,
  type GeminiGenerationConfig,
  type GeminiJsonObject,
  type GeminiRequestPart,
  type GeminiToolConfig,
} from './gemini-request.types';
import { geminiSchemaOf } from './gemini-schema';

const dataUrl = /^data:([^;,]+);base64,(.*)$/s;

/**
 * Translates an OpenAI chat completions request into a Gemini `generateContent` request:
 * system and developer messages become `systemInstruction`, assistant turns `model` turns,
 * tool calls `functionCall` parts, tool results `functionResponse` parts (named after the call
 * they answer), images `inlineData`, and sampling limits `generationConfig`. The model is not
 * part of the body: it goes in the URL.
 */
export function openAiToGeminiRequest(
  request: ChatCompletionRequest,
): GeminiGenerateContentRequest {
  const system: string[] = [];
  const contents: GeminiContent[] = [];
  // Gemini names a function response by function name; OpenAI links it by call id.
  const functionNameOfCall = new Map<string, string>();
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') {
      const text = textOf(message.content);
      if (text !== '') system.push(text);
      continue;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    appendTurn(contents, role, partsOf(message, functionNameOfCall));
  }
  const translated: GeminiGenerateContentRequest = { contents };
  if (system.length > 0) translated.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  const declarations = functionDeclarationsOf(request['tools']);
  if (declarations.length > 0) {
    translated.tools = [{ functionDeclarations: declarations }];
    const toolConfig = toolConfigOf(request['tool_choice']);
    if (toolConfig) translated.toolConfig = toolConfig;
  }
  const generationConfig = generationConfigOf(request);
  if (Object.keys(generationConfig).length > 0) translated.generationConfig = generationConfig;
  return translated;
}

function partsOf(
  message: ChatMessage,
  functionNameOfCall: Map<string, string>,
): GeminiRequestPart[] {
  if (message.role === 'tool' || message.role === 'function') {
    const callId = message['tool_call_id'];
    const name =
      (typeof callId === 'string' ? functionNameOfCall.get(callId) : undefined) ??
      message.name ??
      (typeof callId === 'string' ? callId : '');
    return [{ functionResponse: { name, response: responseObjectOf(textOf(message.content)) } }];
  }
  const parts: GeminiRequestPart[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ text: content });
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part.text === 'string') {
        if (part.text !== '') parts.push({ text: part.text });
        continue;
      }
      const image = chatImagePartSchema.safeParse(part);
      if (image.success) parts.push(imagePartOf(image.data.image_url));
    }
  }
  if (message.role === 'assistant') {
    const calls = chatRequestToolCallsSchema.safeParse(message['tool_calls']);
    for (const call of calls.success ? calls.data : []) {
      functionNameOfCall.set(call.id, call.function.name);
      parts.push({
        functionCall: { name: call.function.name, args: argumentsOf(call.function.arguments) },
      });
    }
  }
  return parts;
}

function imagePartOf(imageUrl: string | { url: string }): GeminiRequestPart {
  const url = typeof imageUrl === 'string' ? imageUrl : imageUrl.url;
  const match = dataUrl.exec(url);
  if (match) return { inlineData: { mimeType: match[1] ?? '', data: match[2] ?? '' } };
  return { fileData: { fileUri: url } };
}

/** Adds parts as a turn, merging into the previous turn when it has the same role. */
function appendTurn(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiRequestPart[]) {
  if (parts.length === 0) return;
  const previous = contents.at(-1);
  if (previous?.role === role) {
    previous.parts.push(...parts);
    return;
  }
  contents.push({ role, parts });
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => part.text)
    .filter((text): text is string => typeof text === 'string')
    .join('\n');
}

function argumentsOf(text: string): GeminiJsonObject {
  if (text.trim() === '') return {};
  const parsed = parseJson(text);
  // Gemini wants an object; keep what the model produced rather than lose it.
  return isJsonObject(parsed) ? parsed : { arguments: text };
}

/** A tool result as the object Gemini requires: the JSON object itself, or `{result: text}`. */
function responseObjectOf(text: string): GeminiJsonObject {
  const parsed = parseJson(text);
  return isJsonObject(parsed) ? parsed : { result: parsed === undefined ? text : parsed };
}

function parseJson(text: string): GeminiJsonObject[string] | undefined {
  try {
    return JSON.parse(text) as GeminiJsonObject[string];
  } catch {
    return undefined;
  }
}

function isJsonObject(value: unknown): value is GeminiJsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function functionDeclarationsOf(tools: unknown): GeminiFunctionDeclaration[] {
  if (!Array.isArray(tools)) return [];
  return tools.flatMap((tool) => {
    const parsed = chatFunctionToolSchema.safeParse(tool);
    if (!parsed.success) return [];
    const { name, description, parameters } = parsed.data.function;
    const declaration: GeminiFunctionDeclaration = { name };
    if (description !== undefined) declaration.description = description;
    // Gemini rejects an object schema without properties; a function without them takes none.
    if (parameters && Object.keys(parameters['properties'] ?? {}).length > 0)
      declaration.parameters = geminiSchemaOf(parameters);
    return [declaration];
  });
}

function toolConfigOf(choice: unknown): GeminiToolConfig | undefined {
  const parsed = chatToolChoiceSchema.safeParse(choice);
  if (!parsed.success) return undefined;
  const value = parsed.data;
  if (value === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (value === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (value === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [value.function.name] } };
}

function generationConfigOf(request: ChatCompletionRequest): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number') config.maxOutputTokens = maxTokens;
  const numbers = {
    temperature: 'temperature',
    top_p: 'topP',
    seed: 'seed',
    presence_penalty: 'presencePenalty',
    frequency_penalty: 'frequencyPenalty',
  } as const;
  for (const [from, to] of Object.entries(numbers)) {
    const value = request[from];
    if (typeof value === 'number') config[to] = value;
  }
  const stop = request['stop'];
  if (typeof stop === 'string') config.stopSequences = [stop];
  else if (Array.isArray(stop) && stop.length > 0 && stop.every((item) => typeof item === 'string'))
    config.stopSequences = stop;
  Object.assign(config, responseFormatOf(request['response_format']));
  return config;
}

function responseFormatOf(format: unknown): GeminiGenerationConfig {
  if (!isJsonObject(format)) return {};
  if (format['type'] === 'json_object') return { responseMimeType: 'application/json' };
  if (format['type'] !== 'json_schema') return {};
  const jsonSchema = format['json_schema'];
  const schema = isJsonObject(jsonSchema) ? jsonSchema['schema'] : undefined;
  return isJsonObject(schema)
    ? { responseMimeType: 'application/json', responseSchema: geminiSchemaOf(schema) }
    : { responseMimeType: 'application/json' };
}
