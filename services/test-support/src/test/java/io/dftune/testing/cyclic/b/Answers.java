package io.dftune.testing.cyclic.b;

import io.dftune.testing.cyclic.Root;

public class Answers {
    public int answer() {
        return Root.value();
    }
}
