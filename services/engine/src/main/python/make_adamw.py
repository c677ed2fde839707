#!/usr/bin/python3
"""Writes adamw.pt, the TorchScript module that applies one AdamW update to one parameter.

The update is libtorch's own fused AdamW kernel (torch._fused_adamw_, the one
torch.optim.AdamW(fused=True) calls): one pass over weight, gradient and both moments, in place,
vectorised and split across threads on a CPU, one kernel on a GPU. The engine's libtorch has it;
Debian's python3-torch (1.13), which this script runs on, does not, so the script scripts a
module with the right signature and then writes the forward's body as TorchScript source, which
libtorch compiles when it loads the module. Regenerate with:

    /usr/bin/python3 services/engine/src/main/python/make_adamw.py \\
        services/engine/src/main/resources/io/dftune/engine/optim/adamw.pt
"""

import io
import sys
import zipfile
from typing import List

import torch

# The parameter goes in a list that the module returns an element of: libtorch's dead-code pass
# drops a call whose only outputs are lists that nothing reads afterwards, in-place or not.
FUSED_BODY = (
    "    s = annotate(List[float], settings.tolist())\n"
    "    params = [weight]\n"
    "    torch._fused_adamw_(params, [gradient], [first], [second], annotate(List[Tensor], []), [step],"
    " lr=s[0], beta1=s[1], beta2=s[2], weight_decay=s[3], eps=s[4], amsgrad=False, maximize=False,"
    " grad_scale=None, found_inf=None)\n"
    "    return params[0]\n"
)


class AdamWUpdate(torch.nn.Module):
    def forward(self, weight: torch.Tensor, gradient: torch.Tensor, first: torch.Tensor, second: torch.Tensor,
                step: torch.Tensor, settings: torch.Tensor) -> torch.Tensor:
        """
        step: the update's number, from 1, a float32 scalar on the parameter's device (the bias
        corrections use it). settings (float64): learning rate, beta1, beta2, weight decay,
        epsilon. Returns weight, updated in place. (This body is replaced by FUSED_BODY.)
        """
        s: List[float] = settings.tolist()
        return weight.add_(gradient, alpha=s[0])


def with_fused_body(archive: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".debug_pkl"):
                continue  # source ranges of the scripted body, which no longer exists
            if info.filename.endswith("code/__torch__.py"):
                text = data.decode()
                body = text.index("    s = annotate(")
                text = text[:body] + FUSED_BODY
                data = text.encode()
            target.writestr(info, data)
    return out.getvalue()


if __name__ == "__main__":
    scripted = io.BytesIO()
    torch.jit.save(torch.jit.script(AdamWUpdate()), scripted)
    with open(sys.argv[1], "wb") as f:
        f.write(with_fused_body(scripted.getvalue()))
