package io.dftune.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * Writes a directory so that it either appears complete or not at all: the content goes into a
 * hidden sibling, every file is flushed to disk, and only then is the sibling renamed into place.
 * A failed write removes the sibling again; a crash mid-write leaves it, and the next write (or
 * whoever calls {@link #isTemporary} on start-up) removes it.
 */
public final class AtomicDirectory {
    private AtomicDirectory() {}

    @FunctionalInterface
    public interface Filler {
        void fill(Path directory) throws IOException;
    }

    /**
     * @throws UncheckedIOException the directory could not be written; what was written of it is
     *     removed again, and an earlier {@code target} is left as it was
     */
    public static void write(Path target, Filler filler) {
        Path temp = temporary(target);
        try {
            Files.createDirectories(target.getParent());
            deleteRecursively(temp);
            Files.createDirectories(temp);
            filler.fill(temp);
            syncTree(temp);
        } catch (IOException | RuntimeException e) {
            removeQuietly(temp, e);
            throw e instanceof IOException io
                    ? new UncheckedIOException("could not write " + target + ": " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
        try {
            deleteRecursively(target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The hidden sibling {@link #write} fills before renaming it to {@code target}. */
    public static Path temporary(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    /** Whether {@code path} is a hidden sibling {@link #write} left behind. */
    public static boolean isTemporary(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    private static void removeQuietly(Path temp, Exception cause) {
        try {
            deleteRecursively(temp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Removes a directory tree; a missing path is fine. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void syncTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                }
            }
        }
        syncDirectory(root);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a directory be opened for sync; the rename is still atomic.
        }
    }
}
