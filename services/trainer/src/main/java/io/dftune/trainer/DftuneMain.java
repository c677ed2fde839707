package io.dftune.trainer;

import io.dftune.engine.nd.EngineStartup;
import io.dftune.trainer.cli.DftuneCli;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the packaged application. Every command goes through the picocli command line;
 * only {@code serve} boots Quarkus, so {@code run}, {@code eval} and {@code generate} start
 * without the server. libtorch loads in the background meanwhile ({@link EngineStartup}).
 */
@QuarkusMain
public final class DftuneMain {
    public static void main(String... args) {
        EngineStartup.begin();
        System.exit(DftuneCli.execute(args));
    }
}
