#!/usr/bin/python3
"""Writes casts.pt, the TorchScript module through which the engine makes and fills bfloat16 arrays.

DJL 0.36 cannot create bfloat16 arrays itself (its dtype mapping has none) and its own type
conversion is not differentiable; this module, called through DJL, does both. Everything goes
through forward(), which DJL runs outside inference mode: tensors made by other methods would be
inference tensors that no optimizer may update in place. Regenerate with any PyTorch >= 1.13
(Debian's python3-torch works):

    /usr/bin/python3 services/engine/src/main/python/make_casts.py \\
        services/engine/src/main/resources/io/dftune/engine/nd/casts.pt
"""

import sys
from typing import List

import torch

class Casts(torch.nn.Module):
    def forward(self, op: torch.Tensor, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """
        op 0: a as bfloat16 (differentiable); op 1: a as float32 (differentiable);
        op 2: an uninitialised array of shape a (int64 dims), bfloat16 if b else float32, on c's device;
        op 3: copies c (any type and shape) into a's elements from flat index b on, in flat order; returns a.
        """
        code = int(op)
        if code == 0:
            return a.to(torch.bfloat16)
        if code == 1:
            return a.to(torch.float32)
        if code == 2:
            shape: List[int] = a.tolist()
            return torch.empty(shape, dtype=torch.bfloat16 if bool(b) else torch.float32, device=c.device)
        flat = c.reshape(-1)
        a.view(-1).narrow(0, int(b), flat.size(0)).copy_(flat)
        return a


if __name__ == "__main__":
    torch.jit.script(Casts()).save(sys.argv[1])
