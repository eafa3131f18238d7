// The Gemini `generateContent` request as the gateway writes it (POST
// /v1beta/models/{model}:generateContent). The gateway builds these, never parses them, so they
// are plain types; fields the gateway does not send are left out.

/** A JSON value, as `args`, `response` and schemas carry it. */
export type GeminiJson =
  string | number | boolean | null | GeminiJson[] | { [key: string]: GeminiJson };

export type GeminiJsonObject = { [key: string]: GeminiJson };

export type GeminiRequestPart =
  | { text: string }
  | { inlineData: { mimeType: string; data: string } }
  | { fileData: { fileUri: string; mimeType?: string } }
  | { functionCall: { name: string; args: GeminiJsonObject } }
  | { functionResponse: { name: string; response: GeminiJsonObject } };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiRequestPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: GeminiJsonObject;
}

export interface GeminiToolConfig {
  functionCallingConfig: {
    mode: 'AUTO' | 'ANY' | 'NONE';
    allowedFunctionNames?: string[];
  };
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  candidateCount?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseSchema?: GeminiJsonObject;
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: { text: string }[] };
  tools?: { functionDeclarations: GeminiFunctionDeclaration[] }[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
}
