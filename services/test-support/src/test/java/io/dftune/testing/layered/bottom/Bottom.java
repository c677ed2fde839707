package io.dftune.testing.layered.bottom;

public class Bottom {
    public static int value() {
        return 1;
    }
}
