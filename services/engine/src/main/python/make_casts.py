#!/usr/bin/python3
"""Writes casts.pt, the TorchScript module through which the engine makes and reads bfloat16 arrays.

DJL 0.36 cannot create bfloat16 arrays itself (its dtype mapping has none) and its own type
conversion is not differentiable; these methods, called through DJL, do both. Regenerate with any
PyTorch >= 1.13 (Debian's python3-torch works):

    /usr/bin/python3 services/engine/src/main/python/make_casts.py \\
        services/engine/src/main/resources/io/dftune/engine/nd/casts.pt
"""

import sys
from typing import List

import torch


class Casts(torch.nn.Module):
    def forward(self, x: torch.Tensor, bfloat16: torch.Tensor) -> torch.Tensor:
        """x as bfloat16 if bfloat16 (a bool scalar) is true, else as float32; differentiable."""
        return x.to(torch.bfloat16) if bool(bfloat16) else x.to(torch.float32)

    @torch.jit.export
    def empty(self, shape: List[int], bfloat16: bool, device_of: torch.Tensor) -> torch.Tensor:
        """Uninitialised, on device_of's device: no page is touched until it is written."""
        return torch.empty(shape, dtype=torch.bfloat16 if bfloat16 else torch.float32, device=device_of.device)


    @torch.jit.export
    def fill(self, target: torch.Tensor, start: int, values: torch.Tensor) -> torch.Tensor:
        """Copies values (any type, any shape) into target's elements from start on, in flat order."""
        flat = values.reshape(-1)
        target.view(-1).narrow(0, start, flat.size(0)).copy_(flat)
        return target


if __name__ == "__main__":
    torch.jit.script(Casts()).save(sys.argv[1])
