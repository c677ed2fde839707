package io.dftune.engine.train;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What to tell a user whose disk filled up: how much was needed and how much is free. */
final class StorageSpace {
    private StorageSpace() {}

    /**
     * "; a checkpoint needs about 1.2 GB and 0.3 GB is free on ..." when {@code cause} is a full
     * disk or quota, else an empty string.
     */
    static String shortfall(Throwable cause, long neededBytes, Path where) {
        if (!outOfSpace(cause)) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                "; a checkpoint needs about %s and %s is free on %s",
                size(neededBytes),
                freeBytes(where).map(StorageSpace::size).orElse("an unknown amount"),
                where);
    }

    static boolean outOfSpace(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String text = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static Optional<Long> freeBytes(Path where) {
        for (Path p = where.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Optional.of(Files.getFileStore(p).getUsableSpace());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
