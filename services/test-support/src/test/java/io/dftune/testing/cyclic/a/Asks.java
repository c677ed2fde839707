package io.dftune.testing.cyclic.a;

import io.dftune.testing.cyclic.b.Answers;

public class Asks {
    public int ask() {
        return new Answers().answer();
    }
}
