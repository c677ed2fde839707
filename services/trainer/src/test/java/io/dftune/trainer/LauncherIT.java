package io.dftune.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/dftune} as users start it: it preloads TCMalloc when the system has it (the test
 * command installs it) and leaves the C library's malloc with {@code DFTUNE_MALLOC=system} or when
 * the user set {@code LD_PRELOAD}; the trainer reports what it got in {@code --version}.
 */
class LauncherIT {
    private static final Path LAUNCHER =
            Path.of("../../bin/dftune").toAbsolutePath().normalize();

    @Test
    void preloadsTcmallocWhenInstalledAndLeavesTheChoiceToTheUser() throws Exception {
        assertThat(installedLibraries())
                .as("libtcmalloc-minimal4, which bin/test installs")
                .contains("libtcmalloc_minimal.so.4 ");
        assertThat(version(Map.of())).endsWith("memory allocator tcmalloc)");
        assertThat(version(Map.of("DFTUNE_MALLOC", "system"))).endsWith("memory allocator system)");
        assertThat(version(Map.of("LD_PRELOAD", "")))
                .as("an empty LD_PRELOAD is no choice")
                .endsWith("memory allocator tcmalloc)");
        assertThat(version(Map.of("LD_PRELOAD", "libc.so.6")))
                .as("the user's own LD_PRELOAD")
                .endsWith("memory allocator system)");
    }

    private static String version(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "--version").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).startsWith("dftune ");
        return out;
    }

    private static String installedLibraries() throws IOException, InterruptedException {
        for (String ldconfig : new String[] {"ldconfig", "/sbin/ldconfig"}) {
            try {
                Process process = new ProcessBuilder(ldconfig, "-p")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() == 0) {
                    return out;
                }
            } catch (IOException e) {
                // not on the PATH: try the next
            }
        }
        throw new IOException("ldconfig -p failed");
    }
}
