"""Writes the benchmark's TorchScript peer: one scripted module computing the engine's DFT training
loss for a Llama/Qwen2 config.json (same forward, same loss, same statistics).

Usage: python3 torchscript_step.py CONFIG_JSON OUT_PT SEED

The module's parameters carry Hugging Face tensor names, so the Java side copies them into the
engine's model and both start from identical weights. forward(ids [B,T], positions [N], targets [N],
inv_tokens []) returns (loss, target log-probs [N] detached, whether the target is a most likely token [N]).
Only used to produce the .pt file; the timing runs in Java through libtorch.
"""
import json
import math
import sys
from typing import List, Tuple

import torch
from torch import nn, Tensor


class RmsNorm(nn.Module):
    def __init__(self, hidden: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden))
        self.eps = eps

    def forward(self, x: Tensor) -> Tensor:
        return x / torch.sqrt(x.square().mean(-1, keepdim=True) + self.eps) * self.weight


class Attention(nn.Module):
    def __init__(self, cfg, qkv_bias: bool, out_bias: bool):
        super().__init__()
        h = cfg["hidden_size"]
        self.heads = cfg["num_attention_heads"]
        self.kv_heads = cfg.get("num_key_value_heads") or self.heads
        self.head_dim = cfg.get("head_dim") or h // self.heads
        self.q_proj = nn.Linear(h, self.heads * self.head_dim, bias=qkv_bias)
        self.k_proj = nn.Linear(h, self.kv_heads * self.head_dim, bias=qkv_bias)
        self.v_proj = nn.Linear(h, self.kv_heads * self.head_dim, bias=qkv_bias)
        self.o_proj = nn.Linear(self.heads * self.head_dim, h, bias=out_bias)

    def split(self, x: Tensor, heads: int) -> Tensor:
        return x.reshape(x.shape[0], x.shape[1], heads, self.head_dim).transpose(1, 2)

    def rotate(self, x: Tensor, cos: Tensor, sin: Tensor) -> Tensor:
        # sin carries rotate-half's sign: [-x2, x1] * sin == [x2, x1] * signed_sin
        halves = x.chunk(2, dim=3)
        return x * cos + torch.cat((halves[1], halves[0]), dim=3) * sin

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor, q_cos: Tensor, q_sin: Tensor, mask: Tensor) -> Tensor:
        b, t = x.shape[0], x.shape[1]
        groups = self.heads // self.kv_heads
        # [B, T, heads, D]; the queries' angles carry attention's 1/sqrt(D)
        q = self.rotate(self.q_proj(x).reshape(b, t, self.heads, self.head_dim), q_cos, q_sin)
        k = self.rotate(self.k_proj(x).reshape(b, t, self.kv_heads, self.head_dim), cos, sin).transpose(1, 2)
        v = self.v_proj(x).reshape(b, t, self.kv_heads, self.head_dim).transpose(1, 2)
        # the query heads of one key/value head stacked along time: [B, kv_heads, groups * T, D]
        q = q.reshape(b, t, self.kv_heads, groups, self.head_dim).permute(0, 2, 3, 1, 4)
        q = q.reshape(b, self.kv_heads, groups * t, self.head_dim)
        scores = (q @ k.transpose(2, 3)).reshape(b, self.kv_heads, groups, t, t) + mask
        context = scores.softmax(-1).reshape(b, self.kv_heads, groups * t, t) @ v
        context = context.reshape(b, self.heads, t, self.head_dim).transpose(1, 2)
        return self.o_proj(context.reshape(b, t, self.heads * self.head_dim))


class Mlp(nn.Module):
    def __init__(self, h: int, i: int, bias: bool):
        super().__init__()
        self.gate_proj = nn.Linear(h, i, bias=bias)
        self.up_proj = nn.Linear(h, i, bias=bias)
        self.down_proj = nn.Linear(i, h, bias=bias)

    def forward(self, x: Tensor) -> Tensor:
        gate = self.gate_proj(x)
        return self.down_proj(gate * torch.sigmoid(gate) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, cfg, qkv_bias: bool, out_bias: bool, mlp_bias: bool):
        super().__init__()
        h, eps = cfg["hidden_size"], cfg.get("rms_norm_eps", 1e-6)
        self.input_layernorm = RmsNorm(h, eps)
        self.self_attn = Attention(cfg, qkv_bias, out_bias)
        self.post_attention_layernorm = RmsNorm(h, eps)
        self.mlp = Mlp(h, cfg["intermediate_size"], mlp_bias)

    def forward(self, x: Tensor, cos: Tensor, sin: Tensor, q_cos: Tensor, q_sin: Tensor, mask: Tensor) -> Tensor:
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, q_cos, q_sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class Decoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        qwen = cfg["model_type"] == "qwen2"
        qkv_bias = qwen or cfg.get("attention_bias", False)
        out_bias = (not qwen) and cfg.get("attention_bias", False)
        mlp_bias = (not qwen) and cfg.get("mlp_bias", False)
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList(
            [Layer(cfg, qkv_bias, out_bias, mlp_bias) for _ in range(cfg["num_hidden_layers"])])
        self.norm = RmsNorm(cfg["hidden_size"], cfg.get("rms_norm_eps", 1e-6))

    def forward(self, ids: Tensor, cos: Tensor, sin: Tensor, q_scale: float, mask: Tensor) -> Tensor:
        x = self.embed_tokens(ids)
        q_cos = cos * q_scale
        q_sin = sin * q_scale
        for layer in self.layers:
            x = layer(x, cos, sin, q_cos, q_sin, mask)
        return self.norm(x)


class TiedHead(nn.Module):
    def forward(self, x: Tensor, embedding: Tensor) -> Tensor:
        return x @ embedding.t()


class Head(nn.Module):
    def __init__(self, hidden: int, vocab: int):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(vocab, hidden))

    def forward(self, x: Tensor, embedding: Tensor) -> Tensor:
        return x @ self.weight.t()


class DftStep(nn.Module):
    def __init__(self, cfg, max_length: int):
        super().__init__()
        self.model = Decoder(cfg)
        tied = bool(cfg.get("tie_word_embeddings", False))
        self.lm_head = TiedHead() if tied else Head(cfg["hidden_size"], cfg["vocab_size"])
        heads = cfg["num_attention_heads"]
        head_dim = cfg.get("head_dim") or cfg["hidden_size"] // heads
        self.q_scale = 1.0 / math.sqrt(head_dim)
        inv_freq = 1.0 / (cfg.get("rope_theta", 10000.0) ** (
            torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
        angles = torch.outer(torch.arange(max_length, dtype=torch.float64), inv_freq)
        angles = torch.cat((angles, angles), dim=-1)
        half = head_dim // 2
        signed_sin = torch.cat((-angles[:, :half].sin(), angles[:, half:].sin()), dim=-1)
        # [T, 1, D]: broadcast over batch and heads of [B, T, heads, D]
        self.register_buffer("cos", angles.cos().float().unsqueeze(1))
        self.register_buffer("sin", signed_sin.float().unsqueeze(1))
        self.register_buffer("mask", torch.triu(torch.full((max_length, max_length), -1e9), diagonal=1))

    def forward(self, ids: Tensor, positions: Tensor, targets: Tensor, inv_tokens: Tensor
                ) -> Tuple[Tensor, Tensor, Tensor]:
        t = ids.shape[1]
        hidden = self.model(ids, self.cos[:t], self.sin[:t], self.q_scale, self.mask[:t, :t])
        flat = hidden.reshape(-1, hidden.shape[2]).index_select(0, positions)
        logits = self.lm_head(flat, self.model.embed_tokens.weight)
        vocab_log_probs = logits.log_softmax(-1)
        log_probs = vocab_log_probs.gather(1, targets.unsqueeze(1)).squeeze(1)
        loss = -(log_probs.exp().detach() * log_probs).sum() * inv_tokens
        correct = log_probs.detach() >= vocab_log_probs.detach().max(-1).values
        return loss, log_probs.detach(), correct


def main(argv: List[str]) -> None:
    with open(argv[1]) as f:
        cfg = json.load(f)
    torch.manual_seed(int(argv[3]))
    step = DftStep(cfg, int(cfg.get("max_position_embeddings", 2048)))
    with torch.no_grad():
        for name, p in step.named_parameters():
            if name.endswith("norm.weight"):
                p.fill_(1.0)
            elif name.endswith(".bias"):
                p.zero_()
            else:
                p.normal_(0.0, 0.02)
    torch.jit.script(step).save(argv[2])


if __name__ == "__main__":
    main(sys.argv)
