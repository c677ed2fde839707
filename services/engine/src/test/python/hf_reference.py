#!/usr/bin/python3
"""Independent numerical reference for dftune's Java engine.

Writes and reads Hugging Face-format Llama, Qwen2, Qwen3 and Mistral checkpoints (config.json +
safetensors, single or sharded) and computes the HF causal-LM forward pass and the SFT/DFT loss
aggregates, written from the Hugging Face math with torch tensor ops (no transformers, no
safetensors package): RoPE with default, linear and llama3 scaling (config in the transformers 4
rope_theta/rope_scaling layout or the transformers 5 rope_parameters layout), Qwen3's per-head
q/k RMSNorm, explicit head_dim, Mistral's sliding-window attention.

Run with /usr/bin/python3 (Debian's python3-torch and python3-numpy). Commands:

  make-random --arch llama|qwen2 --out DIR --seed N [--dtype f32|bf16|f16] [--tied] [--shards K]
              [--llama-bias] [--dump-stats FILE]
  make-random --config CONFIG.json --out DIR --seed N [--dtype ...] [--shards K] [--dump-stats FILE]
              (weights for any supported config.json, written next to a copy of it)
  stats       --model DIR_OR_FILE [--output FILE]
  convert     --src DIR_OR_FILE --out FILE --dtype f32|bf16|f16
  score       --model DIR --input FILE --output FILE [--precision f64|f32]
  lora-train  --model DIR --adapter DIR --input FILE --output FILE --adapter-out FILE [--logits-file FILE]
              (--logits-file: example 0's logits as an F64 safetensors tensor "logits" instead of JSON)
  rope        --config CONFIG.json --positions P1,P2,... --output FILE
              (inverse frequencies, and the cos and sin tables [len(positions)][head_dim] as the
              forward pass uses them)
  hf-json     --input FILE --output FILE
              (the JSON re-written as transformers writes index and config files: indent 2, sorted
              keys, final newline)
  batch       --commands FILE
              (FILE: a JSON list of argument lists; runs each of the commands above in this one
              process, which saves a torch start-up per command)
  selftest
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch

HEADER_DTYPES = {"F32": (4, np.float32), "F16": (2, np.float16), "BF16": (2, np.uint16), "F64": (8, np.float64)}
CLI_DTYPES = {"f32": "F32", "bf16": "BF16", "f16": "F16"}
TORCH_NAMES = {"F32": "float32", "BF16": "bfloat16", "F16": "float16"}

SMALL_SIZES = dict(vocab_size=97, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                   num_attention_heads=4, num_key_value_heads=2, head_dim=16)


# ---------------------------------------------------------------------------------------------
# 16-bit float bit handling

def bf16_bits_to_f32(bits):
    return (bits.astype(np.uint32) << np.uint32(16)).view(np.float32)


def f32_to_bf16_bits(values):
    """Round to nearest, ties to even, on the raw float32 bits; NaN stays NaN."""
    values = np.array(values, dtype=np.float32, order="C")
    u = values.reshape(-1).view(np.uint32).astype(np.uint64)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(values.reshape(-1))
    rounded[nan] = ((u[nan] >> 16) | 0x40).astype(np.uint16)
    return rounded.reshape(values.shape)


def encode(values, header_dtype):
    """float32 array -> raw little-endian element array for a safetensors data section."""
    values = np.asarray(values, dtype=np.float32, order="C")
    if header_dtype == "F32":
        return values.astype("<f4")
    if header_dtype == "F16":
        return values.astype("<f2")
    if header_dtype == "BF16":
        return f32_to_bf16_bits(values).astype("<u2")
    if header_dtype == "F64":
        return values.astype("<f8")
    raise ValueError("unsupported dtype " + header_dtype)


def decode(raw, header_dtype):
    """raw element array -> float64 values."""
    if header_dtype == "BF16":
        return bf16_bits_to_f32(raw).astype(np.float64)
    return raw.astype(np.float64)


# ---------------------------------------------------------------------------------------------
# safetensors files

def write_safetensors(path, tensors, metadata=None):
    """tensors: ordered dict name -> (header_dtype, raw little-endian element array with its shape)."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    offset = 0
    for name, (dtype, raw) in tensors.items():
        size = raw.size * HEADER_DTYPES[dtype][0]
        header[name] = {"dtype": dtype, "shape": list(raw.shape), "data_offsets": [offset, offset + size]}
        offset += size
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * ((8 - len(blob) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for _, (_, raw) in tensors.items():
            f.write(memoryview(np.ascontiguousarray(raw)).cast("B"))
    return offset


def read_safetensors(path):
    """-> ordered dict name -> (header_dtype, raw element array shaped)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: too short" % path)
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError("%s: header length %d exceeds the file" % (path, n))
    header = json.loads(data[8:8 + n].decode("utf-8"))
    body = memoryview(data)[8 + n:]  # a view: slicing bytes would copy the whole data section
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = entry["dtype"]
        if dtype not in HEADER_DTYPES:
            raise ValueError("%s: tensor %s has unsupported dtype %s" % (path, name, dtype))
        begin, end = entry["data_offsets"]
        width, np_type = HEADER_DTYPES[dtype]
        shape = tuple(entry["shape"])
        count = int(np.prod(shape)) if shape else 1
        if end - begin != count * width or end > len(body):
            raise ValueError("%s: tensor %s has bad data_offsets %s" % (path, name, entry["data_offsets"]))
        raw = np.frombuffer(body[begin:end], dtype=np.dtype(np_type).newbyteorder("<")).reshape(shape)
        out[name] = (dtype, raw)
    return out


def read_checkpoint(path):
    """A model dir (index or model.safetensors), a .safetensors file or an index file."""
    if os.path.isdir(path):
        index = os.path.join(path, "model.safetensors.index.json")
        path = index if os.path.exists(index) else os.path.join(path, "model.safetensors")
    if path.endswith(".index.json"):
        with open(path) as f:
            weight_map = json.load(f)["weight_map"]
        shards = {}
        out = {}
        for name, shard in weight_map.items():
            if shard not in shards:
                shards[shard] = read_safetensors(os.path.join(os.path.dirname(path), shard))
            out[name] = shards[shard][name]
        return out
    return read_safetensors(path)


def tensor_stats(tensors):
    stats = {}
    for name, (dtype, raw) in tensors.items():
        values = decode(raw, dtype)
        flat = values.reshape(-1)
        stats[name] = {"dtype": dtype, "shape": list(values.shape), "sum": float(flat.sum()),
                       "abs_sum": float(np.abs(flat).sum()), "first": [float(v) for v in flat[:4]]}
    return {"tensors": stats}


# ---------------------------------------------------------------------------------------------
# random checkpoints

MODEL_TYPES = {"LlamaForCausalLM": "llama", "Qwen2ForCausalLM": "qwen2", "Qwen3ForCausalLM": "qwen3",
               "MistralForCausalLM": "mistral"}


def model_type(cfg):
    archs = cfg.get("architectures")
    if archs:
        if archs[0] not in MODEL_TYPES:
            raise ValueError("unsupported architecture " + archs[0])
        return MODEL_TYPES[archs[0]]
    return cfg["model_type"]


def geometry(cfg):
    """(heads, kv heads, head_dim) with the defaults of each transformers config class."""
    kind = model_type(cfg)
    nh = cfg["num_attention_heads"]
    nkv = cfg.get("num_key_value_heads")
    if nkv is None:
        nkv = {"llama": nh, "qwen2": 32, "qwen3": 32, "mistral": 8}[kind]
    hd = cfg.get("head_dim")
    if hd is None:
        hd = 128 if kind == "qwen3" else cfg["hidden_size"] // nh
    return nh, nkv, hd


def biases(cfg):
    """(q/k/v bias, o bias, mlp bias) as each architecture's modules set them."""
    kind = model_type(cfg)
    attention_bias = bool(cfg.get("attention_bias", False))
    if kind == "qwen2":
        return True, False, False
    if kind == "mistral":
        return False, False, False
    if kind == "qwen3":
        return attention_bias, attention_bias, False
    return attention_bias, attention_bias, bool(cfg.get("mlp_bias", False))


def sliding_window(cfg):
    """Mistral's window (4096 when the key is absent, none when null); None for full attention."""
    if model_type(cfg) != "mistral":
        if cfg.get("use_sliding_window"):
            raise ValueError("use_sliding_window is not modelled by this reference")
        return None
    return cfg["sliding_window"] if "sliding_window" in cfg else 4096


def parameter_shapes(cfg):
    """HF state_dict names and shapes, in the order transformers lists them."""
    h, v, i = cfg["hidden_size"], cfg["vocab_size"], cfg["intermediate_size"]
    nh, nkv, hd = geometry(cfg)
    qkv_bias, o_bias, mlp_bias = biases(cfg)
    shapes = [("model.embed_tokens.weight", (v, h))]
    for layer in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        for proj, out_dim, in_dim, bias in (("self_attn.q_proj", nh * hd, h, qkv_bias),
                                            ("self_attn.k_proj", nkv * hd, h, qkv_bias),
                                            ("self_attn.v_proj", nkv * hd, h, qkv_bias),
                                            ("self_attn.o_proj", h, nh * hd, o_bias),
                                            ("mlp.gate_proj", i, h, mlp_bias),
                                            ("mlp.up_proj", i, h, mlp_bias),
                                            ("mlp.down_proj", h, i, mlp_bias)):
            shapes.append((p + proj + ".weight", (out_dim, in_dim)))
            if bias:
                shapes.append((p + proj + ".bias", (out_dim,)))
            if proj == "self_attn.o_proj" and model_type(cfg) == "qwen3":
                shapes.append((p + "self_attn.q_norm.weight", (hd,)))
                shapes.append((p + "self_attn.k_norm.weight", (hd,)))
        shapes.append((p + "input_layernorm.weight", (h,)))
        shapes.append((p + "post_attention_layernorm.weight", (h,)))
    shapes.append(("model.norm.weight", (h,)))
    if not cfg.get("tie_word_embeddings", False):
        shapes.append(("lm_head.weight", (v, h)))
    return shapes


def random_config(arch, header_dtype, tied, llama_bias):
    cfg = {"architectures": ["LlamaForCausalLM" if arch == "llama" else "Qwen2ForCausalLM"],
           "model_type": arch}
    cfg.update(SMALL_SIZES)
    cfg.update({"hidden_act": "silu", "rms_norm_eps": 1e-6,
                "rope_theta": 10000.0 if arch == "llama" else 1000000.0, "rope_scaling": None,
                "max_position_embeddings": 256, "tie_word_embeddings": bool(tied),
                "bos_token_id": 1, "eos_token_id": 2, "initializer_range": 0.02,
                "torch_dtype": TORCH_NAMES[header_dtype], "transformers_version": "4.44.0"})
    if arch == "llama":
        cfg["attention_bias"] = bool(llama_bias)
        cfg["mlp_bias"] = bool(llama_bias)
    else:
        cfg["use_sliding_window"] = False
    return cfg


def make_random(args):
    header_dtype = CLI_DTYPES[args.dtype]
    if args.config:
        with open(args.config) as f:
            cfg = json.load(f)
        cfg["torch_dtype" if "dtype" not in cfg else "dtype"] = TORCH_NAMES[header_dtype]
    else:
        cfg = random_config(args.arch, header_dtype, args.tied, args.llama_bias)
    rng = np.random.default_rng(args.seed)
    tensors = {}
    for name, shape in parameter_shapes(cfg):
        if name.endswith("norm.weight"):  # layer norms and Qwen3's q_norm / k_norm
            values = 1.0 + 0.1 * rng.standard_normal(size=shape, dtype=np.float32)
        else:
            values = 0.05 * rng.standard_normal(size=shape, dtype=np.float32)
        tensors[name] = (header_dtype, encode(values, header_dtype))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    if args.shards <= 1:
        write_safetensors(os.path.join(args.out, "model.safetensors"), tensors, {"format": "pt"})
    else:
        names = list(tensors)
        groups = np.array_split(np.arange(len(names)), args.shards)
        weight_map, total = {}, 0
        for k, group in enumerate(groups):
            shard = "model-%05d-of-%05d.safetensors" % (k + 1, args.shards)
            part = {names[j]: tensors[names[j]] for j in group}
            total += write_safetensors(os.path.join(args.out, shard), part, {"format": "pt"})
            for name in part:
                weight_map[name] = shard
        index = {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
        with open(os.path.join(args.out, "model.safetensors.index.json"), "w") as f:
            json.dump(index, f, indent=2)
    if args.dump_stats:
        write_json(args.dump_stats, tensor_stats(tensors))


# ---------------------------------------------------------------------------------------------
# the HF causal-LM forward pass

def load_model(model_dir, dtype):
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    weights = {name: torch.from_numpy(decode(raw, d)).to(dtype) for name, (d, raw) in read_checkpoint(model_dir).items()}
    return cfg, weights


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def linear(x, weights, prefix):
    y = x @ weights[prefix + ".weight"].T
    bias = weights.get(prefix + ".bias")
    return y if bias is None else y + bias


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_settings(cfg):
    """The RoPE dict as transformers 5 standardizes it: a non-null rope_scaling wins over
    rope_parameters; a rope_theta inside it wins over the top-level one; type defaults to default."""
    params = dict(cfg.get("rope_scaling") or cfg.get("rope_parameters") or {})
    params.setdefault("rope_theta", cfg.get("rope_theta", 10000.0))
    params.setdefault("rope_type", params.get("type", "default"))
    if params["rope_type"] == "llama3":
        params.setdefault("original_max_position_embeddings", cfg.get("max_position_embeddings"))
    return params


def inverse_frequencies(cfg, head_dim):
    """float32, as transformers computes them: 1 / theta^(2i/d), then the rope type's scaling."""
    rope = rope_settings(cfg)
    exponents = torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim
    inv_freq = 1.0 / (float(rope["rope_theta"]) ** exponents)
    kind = rope["rope_type"]
    if kind == "default":
        return inv_freq
    if kind == "linear":
        return inv_freq / rope["factor"]
    if kind != "llama3":
        raise ValueError("rope type %s is not modelled by this reference" % kind)
    factor, low, high = rope["factor"], rope["low_freq_factor"], rope["high_freq_factor"]
    original = rope["original_max_position_embeddings"]
    wavelength = 2 * math.pi / inv_freq
    long_waves = wavelength > original / low  # low frequencies: interpolated by the factor
    short_waves = wavelength < original / high  # high frequencies: kept
    smooth = (original / wavelength - low) / (high - low)
    between = (1 - smooth) * inv_freq / factor + smooth * inv_freq
    scaled = torch.where(long_waves, inv_freq / factor, inv_freq)
    return torch.where(~long_waves & ~short_waves, between, scaled)


def rotary_cos_sin(positions, cfg, head_dim, dtype):
    """cos and sin [T, head_dim]: the angle position * inv_freq in float32, as transformers forces."""
    inv_freq = inverse_frequencies(cfg, head_dim)
    freqs = positions.float()[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().to(dtype), emb.sin().to(dtype)


def attention(q, k, v, window=None):
    """q: [nh, T, hd], k/v: [nkv, T, hd]; causal softmax attention with GQA; with a window, query i
    sees keys j with i - window < j <= i (transformers' sliding_window_overlay)."""
    n_rep = q.shape[0] // k.shape[0]
    k = k.repeat_interleave(n_rep, dim=0)  # query head j reads kv head j // n_rep, as HF's repeat_kv
    v = v.repeat_interleave(n_rep, dim=0)
    t = q.shape[1]
    scores = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    hidden = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    if window is not None:
        hidden = hidden | torch.tril(torch.ones(t, t, dtype=torch.bool), diagonal=-window)
    scores = scores.masked_fill(hidden, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def forward(cfg, weights, ids, attention_fn=attention, linear_fn=linear):
    """ids: list of token ids -> logits [T, vocab]; linear_fn computes each projection (LoRA adds to it)."""
    nh, nkv, hd = geometry(cfg)
    window = sliding_window(cfg)
    eps = cfg.get("rms_norm_eps", 1e-6)
    embed = weights["model.embed_tokens.weight"]
    dtype = embed.dtype
    x = embed[torch.tensor(ids, dtype=torch.long)]
    t = x.shape[0]
    cos, sin = rotary_cos_sin(torch.arange(t), cfg, hd, dtype)
    for layer in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        h = rms_norm(x, weights[p + "input_layernorm.weight"], eps)
        q = linear_fn(h, weights, p + "self_attn.q_proj").view(t, nh, hd)
        k = linear_fn(h, weights, p + "self_attn.k_proj").view(t, nkv, hd)
        v = linear_fn(h, weights, p + "self_attn.v_proj").view(t, nkv, hd).transpose(0, 1)
        if p + "self_attn.q_norm.weight" in weights:  # Qwen3: RMSNorm over each head, before RoPE
            q = rms_norm(q, weights[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, weights[p + "self_attn.k_norm.weight"], eps)
        q, k = q.transpose(0, 1), k.transpose(0, 1)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        out = attention_fn(q, k, v, window).transpose(0, 1).reshape(t, nh * hd)
        x = x + linear_fn(out, weights, p + "self_attn.o_proj")
        h = rms_norm(x, weights[p + "post_attention_layernorm.weight"], eps)
        gate = linear_fn(h, weights, p + "mlp.gate_proj")
        up = linear_fn(h, weights, p + "mlp.up_proj")
        x = x + linear_fn(torch.nn.functional.silu(gate) * up, weights, p + "mlp.down_proj")
    x = rms_norm(x, weights["model.norm.weight"], eps)
    head = weights["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings", False) else weights["lm_head.weight"]
    return x @ head.T


def score_examples(cfg, weights, examples):
    per_example, all_log_probs, logits0 = [], [], None
    for n, example in enumerate(examples):
        ids, mask = example["input_ids"], example["completion_mask"]
        if len(ids) != len(mask):
            raise ValueError("example %d: input_ids and completion_mask differ in length" % n)
        if any(i < 0 or i >= cfg["vocab_size"] for i in ids):
            raise ValueError("example %d: token id out of range [0, %d)" % (n, cfg["vocab_size"]))
        logits = forward(cfg, weights, ids)
        if n == 0:
            logits0 = logits
        log_probs = torch.log_softmax(logits.to(torch.float64), dim=-1)
        positions = [t + 1 for t in range(len(ids) - 1) if mask[t + 1] == 1]
        targets = [float(log_probs[t - 1, ids[t]]) for t in positions]
        per_example.append({"target_positions": positions, "target_token_ids": [ids[t] for t in positions],
                            "target_log_probs": targets})
        all_log_probs.extend(targets)
    lp = np.array(all_log_probs, dtype=np.float64)
    p = np.exp(lp)
    count = int(lp.size)
    result = {"examples": per_example, "tokens": count,
              "nll": float(-lp.sum() / count) if count else None,
              "dft_loss": float(-(p * lp).sum() / count) if count else None,
              "mean_target_prob": float(p.sum() / count) if count else None,
              "low_prob_ratio": float((p < 0.1).sum() / count) if count else None,
              "logits_example0": None if logits0 is None else logits0.to(torch.float64)}
    return result


def score(args):
    dtype = torch.float64 if args.precision == "f64" else torch.float32
    cfg, weights = load_model(args.model, dtype)
    with open(args.input) as f:
        examples = json.load(f)
    if isinstance(examples, dict):
        examples = examples["examples"]
    result = score_examples(cfg, weights, examples)
    result["precision"] = args.precision
    logits = result.pop("logits_example0")
    if logits is not None and args.logits_file:
        write_safetensors(args.logits_file, {"logits": ("F64", logits.numpy().astype("<f8"))})
    else:
        result["logits_example0"] = None if logits is None else logits.tolist()
    write_json(args.output, result)


def read_lora(adapter_dir, dtype):
    """A PEFT LoRA directory -> (scaling, {module: (A [r, in], B [out, r])}), tensors requiring grad."""
    with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
        config = json.load(f)
    if config.get("peft_type") != "LORA":
        raise ValueError("not a LoRA adapter: %s" % config.get("peft_type"))
    tensors = read_safetensors(os.path.join(adapter_dir, "adapter_model.safetensors"))
    pairs = {}
    for name, (d, raw) in tensors.items():
        prefix = "base_model.model."
        if not name.startswith(prefix) or not name.endswith(".weight"):
            raise ValueError("unexpected adapter tensor %s" % name)
        module, part = name[len(prefix):-len(".weight")].rsplit(".", 1)
        value = torch.from_numpy(decode(raw, d)).to(dtype).requires_grad_(True)
        pairs.setdefault(module, {})[part] = value
    lora = {m: (p["lora_A"], p["lora_B"]) for m, p in pairs.items()}
    return config["lora_alpha"] / config["r"], lora


def lora_train(args):
    """Optimizer steps of a LoRA adapter on one batch, written from PEFT's and torch's definitions:
    each targeted projection adds scaling * B A x; the loss is the objective's per-token loss summed
    over every response token of the batch and divided by their count; the global gradient norm is
    clipped (torch.nn.utils.clip_grad_norm_) and torch.optim.AdamW steps. No dropout."""
    dtype = torch.float64
    cfg, weights = load_model(args.model, dtype)
    scaling, lora = read_lora(args.adapter, dtype)
    with open(args.input) as f:
        job = json.load(f)

    def lora_linear(x, w, prefix):
        y = linear(x, w, prefix)
        if prefix in lora:
            a, b = lora[prefix]
            y = y + scaling * ((x @ a.T) @ b.T)
        return y

    params = [t for pair in lora.values() for t in pair]
    optimizer = torch.optim.AdamW(params, lr=job["lr"], betas=(job["beta1"], job["beta2"]), eps=job["eps"],
                                  weight_decay=job["weight_decay"])
    steps = []
    for _ in range(job["steps"]):
        optimizer.zero_grad()
        losses, nlls, count = [], [], 0
        for example in job["examples"]:
            ids, mask = example["input_ids"], example["completion_mask"]
            log_probs = torch.log_softmax(forward(cfg, weights, ids, linear_fn=lora_linear), dim=-1)
            for t in range(1, len(ids)):
                if mask[t] == 1:
                    lp = log_probs[t - 1, ids[t]]
                    weight = lp.detach().exp() if job["objective"] == "dft" else 1.0
                    losses.append(-weight * lp)
                    nlls.append(-lp.detach())
                    count += 1
        loss = torch.stack(losses).sum() / count
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(params, job["max_grad_norm"])
        optimizer.step()
        steps.append({"loss": float(loss), "nll": float(torch.stack(nlls).sum() / count), "grad_norm": float(norm)})
    out = {"base_model.model.%s.%s.weight" % (m, part): ("F64", t.detach().numpy().astype("<f8"))
           for m, (a, b) in lora.items() for part, t in (("lora_A", a), ("lora_B", b))}
    write_safetensors(args.adapter_out, out)
    write_json(args.output, {"steps": steps})


def rope(args):
    with open(args.config) as f:
        cfg = json.load(f)
    positions = torch.tensor([int(p) for p in args.positions.split(",")], dtype=torch.int64)
    head_dim = geometry(cfg)[2]
    cos, sin = rotary_cos_sin(positions, cfg, head_dim, torch.float32)
    write_json(args.output, {"positions": positions.tolist(),
                             "inv_freq": inverse_frequencies(cfg, head_dim).double().tolist(),
                             "cos": cos.double().tolist(), "sin": sin.double().tolist()})


# ---------------------------------------------------------------------------------------------
# other commands

def stats(args):
    result = tensor_stats(read_checkpoint(args.model))
    if args.output:
        write_json(args.output, result)
    else:
        json.dump(result, sys.stdout)


def convert(args):
    """Re-encodes a checkpoint as one file; rounding by torch/numpy casts, not by this file's bit code."""
    header_dtype = CLI_DTYPES[args.dtype]
    out = {}
    for name, (dtype, raw) in read_checkpoint(args.src).items():
        values = np.ascontiguousarray(decode(raw, dtype).astype(np.float32))
        if header_dtype == "BF16":
            bits = torch.from_numpy(values).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
            out[name] = (header_dtype, bits.astype("<u2"))
        elif header_dtype == "F16":
            out[name] = (header_dtype, values.astype("<f2"))
        else:
            out[name] = (header_dtype, values.astype("<f4"))
    write_safetensors(args.out, out, {"format": "pt"})


def loop_attention(q, k, v, window=None):
    """Position-by-position attention with explicit GQA head mapping and window, for the self-test."""
    nh, t, hd = q.shape
    n_rep = nh // k.shape[0]
    out = torch.zeros_like(q)
    for head in range(nh):
        kv = head // n_rep
        for i in range(t):
            first = 0 if window is None else max(0, i - window + 1)
            seen = range(first, i + 1)
            s = torch.stack([torch.dot(q[head, i], k[kv, j]) for j in seen]) / math.sqrt(hd)
            w = torch.exp(s - s.max())
            w = w / w.sum()
            out[head, i] = sum(w[n] * v[kv, j] for n, j in enumerate(seen))
    return out


def llama3_frequencies_by_hand(theta, head_dim, factor, low, high, original):
    """Llama 3.1's published scaling rule per frequency, in plain double-precision Python."""
    result = []
    for i in range(0, head_dim, 2):
        freq = 1.0 / theta ** (i / head_dim)
        wavelength = 2 * math.pi / freq
        if wavelength < original / high:
            result.append(freq)
        elif wavelength > original / low:
            result.append(freq / factor)
        else:
            smooth = (original / wavelength - low) / (high - low)
            result.append((1 - smooth) * freq / factor + smooth * freq)
    return result


def selftest(_args):
    rng = np.random.default_rng(7)
    # bf16 rounding against torch's cast, specials included
    values = np.concatenate([rng.normal(0, 10, 10000), [0.0, -0.0, 1.0 + 2 ** -8, 1.0 + 3 * 2 ** -8, 3.4e38,
                                                         -3.4e38, 1e-40, float("inf"), float("-inf")]]).astype(np.float32)
    torch_bits = torch.from_numpy(values).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(f32_to_bf16_bits(values), torch_bits), "bf16 rounding differs from torch"
    assert np.array_equal(bf16_bits_to_f32(torch_bits), torch.from_numpy(torch_bits.view(np.int16)).view(
        torch.bfloat16).float().numpy()), "bf16 decoding differs from torch"
    # safetensors round trip in every dtype
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for header_dtype in ("F32", "BF16", "F16", "F64"):
            path = os.path.join(tmp, header_dtype + ".safetensors")
            raw = encode(values[:12].reshape(3, 4), header_dtype)
            write_safetensors(path, {"a": (header_dtype, raw), "s": (header_dtype, encode(np.float32([2.5]).reshape(()), header_dtype))})
            back = read_safetensors(path)
            assert np.array_equal(back["a"][1], raw) and back["s"][1].shape == (), header_dtype
            with open(path, "rb") as f:
                assert struct.unpack("<Q", f.read(8))[0] % 8 == 0, "header not padded to 8 bytes"
    # rotate-half RoPE == rotating each pair (x[i], x[i + hd/2]) by angle pos * inv_freq[i]
    hd, t, theta = 8, 5, 10000.0
    x = torch.from_numpy(rng.normal(size=(2, t, hd)))
    cos, sin = rotary_cos_sin(torch.arange(t), {"rope_theta": theta}, hd, torch.float64)
    rotated = x * cos + rotate_half(x) * sin
    for pos in range(t):
        for i in range(hd // 2):
            angle = pos / theta ** (2 * i / hd)
            a, b = x[:, pos, i], x[:, pos, i + hd // 2]
            assert torch.allclose(rotated[:, pos, i], a * math.cos(angle) - b * math.sin(angle))
            assert torch.allclose(rotated[:, pos, i + hd // 2], b * math.cos(angle) + a * math.sin(angle))
    # llama3 scaling (both config layouts) and linear scaling against the rule computed by hand
    scaling = {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
               "original_max_position_embeddings": 8192}
    expected = llama3_frequencies_by_hand(500000.0, 64, 32.0, 1.0, 4.0, 8192)
    v4 = {"rope_theta": 500000.0, "rope_scaling": scaling}
    v5 = {"rope_parameters": dict(scaling, rope_theta=500000.0), "max_position_embeddings": 131072}
    for layout in (v4, v5):
        got = inverse_frequencies(layout, 64).double().numpy()
        assert np.allclose(got, expected, rtol=1e-6, atol=0), "llama3 frequencies differ"
    assert sum(1 for a, b in zip(expected, llama3_frequencies_by_hand(500000.0, 64, 1, 1, 4, 8192)) if a != b) > 4
    linear_cfg = {"rope_theta": 10000.0, "rope_scaling": {"type": "linear", "factor": 4.0}}
    assert np.allclose(inverse_frequencies(linear_cfg, 16).double().numpy(),
                       [1.0 / 10000.0 ** (i / 16) / 4.0 for i in range(0, 16, 2)], rtol=1e-6), "linear differs"
    # the forward pass: vectorised attention == loop attention, and causal (a prefix's logits do not change)
    cfg = random_config("qwen2", "F32", False, False)
    weights = {name: torch.from_numpy(rng.normal(0, 0.05, size=shape)) for name, shape in parameter_shapes(cfg)}
    ids = [int(i) for i in rng.integers(0, cfg["vocab_size"], size=7)]
    full = forward(cfg, weights, ids)
    assert torch.allclose(full, forward(cfg, weights, ids, loop_attention), atol=1e-10), "attention differs"
    assert torch.allclose(full[:4], forward(cfg, weights, ids[:4]), atol=1e-10), "forward is not causal"
    # the sliding window: vectorised == loop, and a token window + 1 back no longer matters
    q, k, v = (torch.from_numpy(rng.normal(size=shape)) for shape in ((4, 9, 8), (2, 9, 8), (2, 9, 8)))
    windowed = attention(q, k, v, 3)
    assert torch.allclose(windowed, loop_attention(q, k, v, 3), atol=1e-10), "windowed attention differs"
    assert not torch.allclose(windowed, attention(q, k, v)), "the window changes nothing"
    k2, v2 = k.clone(), v.clone()
    k2[:, 0], v2[:, 0] = 5.0, 5.0
    assert torch.allclose(attention(q, k2, v2, 3)[:, 3:], windowed[:, 3:], atol=1e-12), "window leaks"
    print("selftest ok")


def hf_json(args):
    with open(args.input) as f:
        value = json.load(f)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(json.dumps(value, indent=2, sort_keys=True) + "\n")


def batch(args):
    with open(args.commands) as f:
        commands = json.load(f)
    for argv in commands:
        if argv and argv[0] == "batch":
            raise ValueError("batch commands cannot nest")
        main(argv)


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make-random")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--arch", choices=["llama", "qwen2"])
    source.add_argument("--config", help="a config.json to make weights for (copied, with the dtype set)")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--dtype", choices=sorted(CLI_DTYPES), default="f32")
    p.add_argument("--tied", action="store_true")
    p.add_argument("--shards", type=int, default=1)
    p.add_argument("--llama-bias", action="store_true", help="llama only: attention_bias and mlp_bias true")
    p.add_argument("--dump-stats", help="write per-tensor sum, abs_sum and first 4 values as JSON")
    p.set_defaults(run=make_random)
    p = sub.add_parser("stats")
    p.add_argument("--model", required=True)
    p.add_argument("--output")
    p.set_defaults(run=stats)
    p = sub.add_parser("convert")
    p.add_argument("--src", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--dtype", choices=sorted(CLI_DTYPES), required=True)
    p.set_defaults(run=convert)
    p = sub.add_parser("score")
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--precision", choices=["f64", "f32"], default="f64")
    p.add_argument("--logits-file", help="write example 0's logits here (safetensors) instead of into the JSON")
    p.set_defaults(run=score)
    p = sub.add_parser("rope")
    p.add_argument("--config", required=True)
    p.add_argument("--positions", required=True)
    p.add_argument("--output", required=True)
    p.set_defaults(run=rope)
    p = sub.add_parser("hf-json")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.set_defaults(run=hf_json)
    p = sub.add_parser("batch")
    p.add_argument("--commands", required=True)
    p.set_defaults(run=batch)
    p = sub.add_parser("lora-train")
    p.add_argument("--model", required=True)
    p.add_argument("--adapter", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--adapter-out", required=True)
    p.set_defaults(run=lora_train)
    p = sub.add_parser("selftest")
    p.set_defaults(run=selftest)
    args = parser.parse_args(argv)
    if args.command == "make-random" and args.config and (args.tied or args.llama_bias):
        parser.error("--tied and --llama-bias apply to --arch only; with --config the config.json decides")
    if getattr(args, "llama_bias", False) and args.arch != "llama":
        parser.error("--llama-bias applies to --arch llama only")
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
