// Writes the Parquet files the engine's dataset tests read, with an implementation independent of the
// engine's reader: Apache Arrow's JavaScript library builds the tables and parquet-wasm (the Rust parquet
// crate compiled to WebAssembly) writes them. Next to each NAME.parquet it writes NAME.jsonl with the same
// rows as JSON, which the tests compare the Parquet reader's records against.
//
// Usage: node write-parquet-fixtures.mjs NODE_MODULES_DIR OUTPUT_DIR
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [modules, out] = process.argv.slice(2);
const require = createRequire(join(modules, 'noop.js'));
const arrow = await import(require.resolve('apache-arrow'));
const pq = await import(require.resolve('parquet-wasm/esm'));
await pq.default({ module_or_path: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });

const utf8 = () => new arrow.Utf8();
const field = (name, type, nullable = true) => new arrow.Field(name, type, nullable);
const listOf = (type) => new arrow.List(field('item', type));
const struct = (...fields) => new arrow.Struct(fields);

function write(name, types, rows, compression, rowGroupSize) {
  const columns = {};
  for (const [column, type] of Object.entries(types)) {
    const int64 = type instanceof arrow.Int64;
    const values = rows.map((r) => (r[column] == null ? null : int64 ? BigInt(r[column]) : r[column]));
    columns[column] = arrow.vectorFromArray(values, type);
  }
  const table = new arrow.Table(columns);
  const props = new pq.WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(rowGroupSize)
    .build();
  const bytes = pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), props);
  mkdirSync(join(out, name, '..'), { recursive: true });
  writeFileSync(join(out, name + '.parquet'), bytes);
  return rows;
}

function jsonl(name, rows) {
  writeFileSync(join(out, name + '.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

// NuminaMath-CoT's shape: problem, solution, messages (a list of {role, content} structs), source; plus an
// integer answer that is null in some rows. Three row groups.
const message = struct(field('role', utf8()), field('content', utf8()));
const numinaTypes = {
  source: utf8(),
  problem: utf8(),
  solution: utf8(),
  messages: listOf(message),
  answer: new arrow.Int64(),
};
const numina = [];
for (let i = 0; i < 7; i++) {
  const problem = `Problem ${i}: what is ${i} + ${2 * i}? Ünïcode ✓ 😀`;
  const solution = `We add ${i} and ${2 * i}.\nThe sum is ${3 * i}. \\boxed{${3 * i}}`;
  numina.push({
    source: i % 2 ? 'olympiads' : 'synthetic_math',
    problem,
    solution,
    messages: [
      { role: 'user', content: problem },
      { role: 'assistant', content: solution },
    ],
    answer: i === 3 ? null : 3 * i,
  });
}
jsonl('numina', write('numina', numinaTypes, numina, pq.Compression.SNAPPY, 3));

// ShareGPT with LLaMA-Factory's roles: a system column, tools as a JSON string, a function call and its
// observation. zstd-compressed.
const turn = struct(field('from', utf8()), field('value', utf8()));
const tools = JSON.stringify([
  { type: 'function', function: { name: 'add', description: 'Adds two numbers',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } } },
]);
const sharegpt = [
  {
    system: 'You are a calculator.',
    tools,
    conversations: [
      { from: 'human', value: 'What is 2 + 3?' },
      { from: 'function_call', value: JSON.stringify({ name: 'add', arguments: { a: 2, b: 3 } }) },
      { from: 'observation', value: '5' },
      { from: 'gpt', value: 'It is 5.' },
    ],
  },
  {
    system: '',
    tools: '',
    conversations: [
      { from: 'human', value: 'Hi' },
      { from: 'gpt', value: 'Hello!' },
      { from: 'human', value: 'Bye' },
      { from: 'gpt', value: 'Goodbye.' },
    ],
  },
];
jsonl('sharegpt', write('sharegpt', { system: utf8(), tools: utf8(), conversations: listOf(turn) }, sharegpt,
  pq.Compression.ZSTD, 1024));

// Alpaca's columns (instruction, input, output), in two gzip-compressed shards named as the Hugging Face hub
// names them; the JSONL holds both shards' rows in order.
const alpacaTypes = { instruction: utf8(), input: utf8(), output: utf8() };
const alpaca = [];
for (let i = 0; i < 5; i++) {
  alpaca.push({ instruction: `Repeat the word ${i}.`, input: i % 2 ? `word-${i}` : '', output: `word-${i}` });
}
write('alpaca/train-00000-of-00002', alpacaTypes, alpaca.slice(0, 3), pq.Compression.GZIP, 1024);
write('alpaca/train-00001-of-00002', alpacaTypes, alpaca.slice(3), pq.Compression.GZIP, 1024);
jsonl('alpaca-all', alpaca);
