import { describe, expect, it } from 'vitest';
import { openAiToGeminiRequest } from './openai-to-gemini-request';

describe('openAiToGeminiRequest', () => {
  it('moves system and developer text to systemInstruction and renames assistant to model', () => {
    const translated = openAiToGeminiRequest({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Again' },
      ],
    });

    expect(translated).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.\n\nAnswer in English.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello!' }] },
        { role: 'user', parts: [{ text: 'Again' }] },
      ],
    });
  });

  it('turns tool calls into functionCall parts and tool results into named functionResponse parts', () => {
    const translated = openAiToGeminiRequest({
      model: 'gemini',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_2',
              type: 'function',
              function: { name: 'get_time', arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      ],
    });

    expect(translated.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_time', args: { city: 'Rome' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_time', response: { result: '12:00' } } },
          { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
        ],
      },
    ]);
  });

  it('sends data-URL images inline and other URLs as file data', () => {
    const translated = openAiToGeminiRequest({
      model: 'gemini',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: 'https://example.com/cat.jpg' },
          ],
        },
      ],
    });

    expect(translated.contents[0]!.parts).toEqual([
      { text: 'What is this?' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { fileUri: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('declares function tools with a Gemini schema and maps tool_choice', () => {
    const translated = openAiToGeminiRequest({
      model: 'gemini',
      messages: [{ role: 'user', content: 'x' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather in a city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' }, days: { type: ['integer', 'null'] } },
              required: ['city'],
              additionalProperties: false,
            },
          },
        },
        {
          type: 'function',
          function: { name: 'now', parameters: { type: 'object', properties: {} } },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });

    expect(translated.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather in a city',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' }, days: { type: 'integer', nullable: true } },
              required: ['city'],
            },
          },
          { name: 'now' },
        ],
      },
    ]);
    expect(translated.toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
    expect(
      openAiToGeminiRequest({
        model: 'g',
        messages: [{ role: 'user', content: 'x' }],
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: 'required',
      }).toolConfig,
    ).toEqual({ functionCallingConfig: { mode: 'ANY' } });
  });

  it('maps limits, sampling, stop and a json_schema response format to generationConfig', () => {
    const translated = openAiToGeminiRequest({
      model: 'gemini',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 50,
      max_completion_tokens: 100,
      temperature: 1.5,
      top_p: 0.9,
      stop: 'END',
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          strict: true,
          schema: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { tags: { type: 'array', items: { type: 'string' } } },
            additionalProperties: false,
          },
        },
      },
    });

    expect(translated.generationConfig).toEqual({
      maxOutputTokens: 100,
      temperature: 1.5,
      topP: 0.9,
      stopSequences: ['END'],
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'object',
        properties: { tags: { type: 'array', items: { type: 'string' } } },
      },
    });
    expect(
      openAiToGeminiRequest({ model: 'g', messages: [{ role: 'user', content: 'x' }] })
        .generationConfig,
    ).toBeUndefined();
  });
});
