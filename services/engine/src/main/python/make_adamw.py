#!/usr/bin/python3
"""Writes adamw.pt, the TorchScript module that applies one AdamW update to one parameter.

The update is torch.optim.AdamW's (weight decay decoupled, lerp for the first moment, addcmul for
the second, addcdiv for the step), done in place, block by block: the only temporary (the
denominator) is one block, not a copy of the parameter. A GPU passes a block as large as the
tensor. Regenerate with any PyTorch >= 1.13 (Debian's python3-torch works):

    /usr/bin/python3 services/engine/src/main/python/make_adamw.py \\
        services/engine/src/main/resources/io/dftune/engine/optim/adamw.pt
"""

import sys
from typing import List

import torch


class AdamWUpdate(torch.nn.Module):
    def forward(self, weight: torch.Tensor, gradient: torch.Tensor, first: torch.Tensor, second: torch.Tensor,
                settings: torch.Tensor) -> torch.Tensor:
        """
        settings (float64): beta1, beta2, step size (learning rate over the first moment's bias
        correction), root of the second moment's bias correction, epsilon, decay factor
        (1 - learning rate * weight decay), block size in elements. Returns weight.
        """
        s: List[float] = settings.tolist()
        beta1 = s[0]
        beta2 = s[1]
        step_size = s[2]
        root_correction = s[3]
        eps = s[4]
        decay = s[5]
        chunk = int(s[6])
        w = weight.view(-1)
        g = gradient.reshape(-1)
        m = first.view(-1)
        v = second.view(-1)
        n = w.size(0)
        with torch.no_grad():
            for start in range(0, n, chunk):
                size = min(chunk, n - start)
                wc = w.narrow(0, start, size)
                gc = g.narrow(0, start, size)
                mc = m.narrow(0, start, size)
                vc = v.narrow(0, start, size)
                mc.lerp_(gc, 1 - beta1)
                vc.mul_(beta2).addcmul_(gc, gc, value=1 - beta2)
                denominator = (vc.sqrt() / root_correction).add_(eps)
                if decay != 1.0:
                    wc.mul_(decay)
                wc.addcdiv_(mc, denominator, value=-step_size)
        return weight


if __name__ == "__main__":
    torch.jit.script(AdamWUpdate()).save(sys.argv[1])
