package io.dftune.testing.layered.top;

import io.dftune.testing.layered.bottom.Bottom;

public class Top {
    public int value() {
        return Bottom.value() + 1;
    }
}
