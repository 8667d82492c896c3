// A fake OpenAI-compatible chat service on loopback for the reader's AI, speaking the documented
// chat-completions protocol: POST {base}/chat/completions with a bearer key, a model, messages
// and a strict json_schema response format; the answer is a chat.completion whose message
// content is the JSON asked for. Malformed requests get OpenAI's 400 error object.
//
// Requests whose schema is "cited_sentences" (the story model) take the next scripted answer
// from f.story, or f.storyDefault(request) when the queue is empty; every one is kept in
// f.storyRequests ({system, user, body}) so tests can assert what reached the model. Other
// chat requests (the blurb of a submitted manuscript) answer 500, so the offline generator
// fills in and the work is published.
//
// A scripted answer is one of: {sentences: [{text, episode}]} (any JSON object: {content}),
// {raw: 'message content as is'}, {status: 500} (an error object), {hang: true} (never
// answers; the client's timeout ends it).
import http from 'node:http';

const json = (res, status, obj) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(obj));
};
const invalid = (res, message, param = null) =>
  json(res, 400, { error: { message, type: 'invalid_request_error', param, code: null } });

// What the protocol requires of a chat completion request; a message naming what is wrong.
function requestProblem(body) {
  if (typeof body.model !== 'string' || !body.model) return ['you must provide a model parameter', 'model'];
  if (!Array.isArray(body.messages) || body.messages.length === 0) return ['messages must be a non-empty array', 'messages'];
  for (const m of body.messages) {
    if (!['system', 'user', 'assistant', 'developer'].includes(m?.role)) return ['invalid message role', 'messages'];
    if (typeof m.content !== 'string') return ['message content must be a string', 'messages'];
  }
  const rf = body.response_format;
  if (rf && rf.type === 'json_schema') {
    const js = rf.json_schema;
    if (!js || typeof js.name !== 'string' || typeof js.schema !== 'object') return ['json_schema needs a name and a schema', 'response_format'];
  }
  return null;
}

export async function fakeOpenAI({ host = '127.0.0.1', key = 'sk-test-secret-key' } = {}) {
  const f = { story: [], storyRequests: [], storyDefault: () => ({ status: 500 }), blurbs: 0, hanging: new Set() };
  const completion = (model, content) => ({
    id: `chatcmpl-fake-${f.storyRequests.length}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
  f.server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      if (req.method !== 'POST' || new URL(req.url, 'http://x').pathname !== '/v1/chat/completions') {
        return json(res, 404, { error: { message: 'no such route', type: 'invalid_request_error' } });
      }
      if (req.headers.authorization !== `Bearer ${key}`) {
        return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
      }
      let body;
      try { body = JSON.parse(raw); } catch { return invalid(res, 'the body is not valid JSON'); }
      const bad = requestProblem(body);
      if (bad) return invalid(res, ...bad);
      if (body.response_format?.json_schema?.name !== 'cited_sentences') {
        f.blurbs++;
        return json(res, 500, { error: { message: 'the fake blurb writer is down', type: 'server_error' } });
      }
      const text = (role) => body.messages.filter((m) => m.role === role).map((m) => m.content).join('\n');
      const request = { system: text('system'), user: text('user'), body };
      f.storyRequests.push(request);
      const answer = f.story.length ? f.story.shift() : f.storyDefault(request);
      if (answer.hang) {
        f.hanging.add(res);
        return res.on('close', () => f.hanging.delete(res));
      }
      if (answer.status) return json(res, answer.status, { error: { message: `scripted ${answer.status}`, type: 'server_error' } });
      const content = answer.raw ?? JSON.stringify(answer.content ?? { sentences: answer.sentences });
      return json(res, 200, completion(body.model, content));
    });
  });
  await new Promise((r) => f.server.listen(0, host, r));
  f.base = `http://${host}:${f.server.address().port}/v1`;
  f.env = (extra = {}) => ({ WL_LLM_BASE_URL: f.base, WL_LLM_MODEL: 'fake-model', WL_LLM_API_KEY: key, ...extra });
  f.close = () => new Promise((r) => { f.server.closeAllConnections?.(); f.server.close(() => r()); });
  return f;
}
