package io.dftune.testing.cyclic;

import io.dftune.testing.cyclic.a.Asks;

/** Root -> a -> b -> Root: a cycle through the root package. */
public class Root {
    public static int value() {
        return 42;
    }

    public int start() {
        return new Asks().ask();
    }
}
