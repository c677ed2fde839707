#!/usr/bin/env python3
"""Loads model directories written by dftune with Hugging Face transformers and compares logits
and losses with dftune's own numbers.

Needs python3 with torch, transformers and safetensors (transformers brings it), and peft for the
adapter cases; nothing else, no network. Input: a folder made by dftune's HfInteropFixturesTest, one sub-folder per case:

  CASE/model/                         a model directory written by dftune (config.json, weights)
  CASE/examples.json                  [{"input_ids": [...], "completion_mask": [...]}, ...]
  CASE/expected.json                  dftune's numbers: tokens, nll, dft_loss, mean_target_prob,
                                      tolerance, and optionally min_transformers and adapter
  CASE/adapter/                       where expected.json names it: a PEFT LoRA adapter directory
                                      written by dftune, loaded on CASE/model with peft
  CASE/expected_logits.safetensors    dftune's logits [T, V] of example 0 (tensor "logits")

Make the folder (from the repository root, on any machine that builds dftune):

  DJL_OFFLINE=true mvn -B -pl services/engine -am test -Dtest=HfInteropFixturesTest \\
      -Dsurefire.failIfNoSpecifiedTests=false -Ddftune.interop.out=/abs/path/dftune-interop

then, where transformers is installed:

  python3 hf_interop.py /abs/path/dftune-interop [--device cpu|cuda] [--attn eager,sdpa]

Each model is loaded with AutoModelForCausalLM in float32 and run once per attention
implementation. Targets are the tokens t >= 1 with completion_mask[t] == 1, scored by the logits
at t - 1, as dftune scores them: nll = -mean(log p), dft_loss = -mean(p log p), mean_target_prob =
mean(p) over all targets of all examples. Prints one JSON summary on stdout; exits 0 when every
case that ran is within its tolerance, 1 otherwise. A case whose min_transformers is newer than
the installed transformers is reported as skipped (transformers 4 ignores the transformers 5
rope_parameters layout).
"""

import argparse
import json
import math
import os
import sys
import traceback

import torch
import transformers
from packaging import version
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM


def load(model_dir, device, attn):
    dtype_argument = "dtype" if version.parse(transformers.__version__) >= version.parse("4.56.0") else "torch_dtype"
    model = AutoModelForCausalLM.from_pretrained(model_dir, attn_implementation=attn,
                                                 **{dtype_argument: torch.float32})
    return model.float().to(device).eval()


def log_probs(model, ids, device):
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids], device=device)).logits[0]
    return logits.float().cpu(), torch.log_softmax(logits.double().cpu(), dim=-1)


def score(model, examples, device):
    targets = []
    for example in examples:
        ids, mask = example["input_ids"], example["completion_mask"]
        _, lp = log_probs(model, ids, device)
        targets.extend(float(lp[t - 1, ids[t]]) for t in range(1, len(ids)) if mask[t] == 1)
    n = len(targets)
    p = [math.exp(x) for x in targets]
    return {"tokens": n, "nll": -sum(targets) / n, "dft_loss": -sum(a * b for a, b in zip(p, targets)) / n,
            "mean_target_prob": sum(p) / n}


def run_case(case_dir, device, attn):
    with open(os.path.join(case_dir, "expected.json")) as f:
        expected = json.load(f)
    result = {"case": expected.get("case", os.path.basename(case_dir)), "attn": attn,
              "made_from": expected.get("made_from"), "weights_dtype": expected.get("weights_dtype")}
    needed = expected.get("min_transformers")
    if needed and version.parse(transformers.__version__) < version.parse(needed):
        result.update(status="skipped", reason="needs transformers >= " + needed)
        return result
    with open(os.path.join(case_dir, expected.get("examples_file", "examples.json"))) as f:
        examples = json.load(f)
    tolerance = float(expected.get("tolerance", 1e-4))
    model = load(os.path.join(case_dir, "model"), device, attn)
    if expected.get("adapter"):
        from peft import PeftModel
        model = PeftModel.from_pretrained(model, os.path.join(case_dir, expected["adapter"])).to(device).eval()
    result["loaded_as"] = type(model).__name__

    logits, _ = log_probs(model, examples[expected.get("logits_of_example", 0)]["input_ids"], device)
    dftune_logits = load_file(os.path.join(case_dir, expected.get("logits_file", "expected_logits.safetensors")))
    dftune_logits = dftune_logits["logits"].float()
    if tuple(logits.shape) != tuple(dftune_logits.shape):
        result.update(status="mismatch", reason="logits shape %s, dftune's %s" % (tuple(logits.shape),
                                                                                   tuple(dftune_logits.shape)))
        return result
    worst = float((logits - dftune_logits).abs().max())
    result["max_abs_logit_diff"] = worst

    theirs = score(model, examples, device)
    differences = {"logits": worst}
    for key in ("nll", "dft_loss", "mean_target_prob"):
        result[key] = {"dftune": expected[key], "transformers": theirs[key], "diff": abs(expected[key] - theirs[key])}
        differences[key] = result[key]["diff"]
    token_counts_agree = theirs["tokens"] == expected["tokens"]
    result["tokens"] = {"dftune": expected["tokens"], "transformers": theirs["tokens"]}
    failed = [k for k, d in differences.items() if not d <= tolerance]
    if not token_counts_agree:
        failed.append("tokens")
    result["status"] = "ok" if not failed else "mismatch"
    if failed:
        result["over_tolerance"] = failed
    result["tolerance"] = tolerance
    return result


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", help="the folder HfInteropFixturesTest wrote")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--attn", default="eager,sdpa", help="attention implementations to run, comma-separated")
    args = parser.parse_args(argv)

    cases = sorted(d for d in os.listdir(args.folder)
                   if os.path.isfile(os.path.join(args.folder, d, "expected.json")))
    if not cases:
        parser.error("no CASE/expected.json under " + args.folder)
    if args.device == "cuda":
        # float32 matmuls on Ampere+ GPUs default to TF32 in some setups; keep them exact.
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    results = []
    for case in cases:
        for attn in args.attn.split(","):
            try:
                results.append(run_case(os.path.join(args.folder, case), args.device, attn))
            except Exception as e:  # one broken case must not hide the others
                results.append({"case": case, "attn": attn, "status": "error",
                                "reason": "%s: %s" % (type(e).__name__, e),
                                "traceback": traceback.format_exc(limit=3)})
    counts = {s: sum(1 for r in results if r["status"] == s) for s in ("ok", "mismatch", "error", "skipped")}
    summary = {"transformers": transformers.__version__, "torch": torch.__version__, "device": args.device,
               "folder": os.path.abspath(args.folder), "counts": counts,
               "ok": counts["mismatch"] == 0 and counts["error"] == 0 and counts["ok"] > 0, "cases": results}
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
