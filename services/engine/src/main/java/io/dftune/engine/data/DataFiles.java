package io.dftune.engine.data;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a dataset path names, in the order their records are read: the file itself, the {@code .parquet}
 * shards of a folder (by name), or the files a glob such as {@code data/train-*.parquet} matches (by path).
 * Each file's format is told by its name and checked against its content.
 */
final class DataFiles {

    /** One file of a dataset and how it stores records. */
    record DataFile(Path path, FileFormat format) {}

    private DataFiles() {}

    /** @throws DatasetException if the path matches nothing usable, naming it */
    static List<DataFile> resolve(Path dataset) {
        List<Path> files;
        if (isGlob(dataset)) {
            files = globMatches(dataset);
            if (files.isEmpty()) {
                throw new DatasetException("no dataset file matches " + dataset);
            }
        } else if (Files.isDirectory(dataset)) {
            files = listFiles(dataset, 1).stream()
                    .filter(p -> FileFormat.byName(p).orElse(null) == FileFormat.PARQUET)
                    .toList();
            if (files.isEmpty()) {
                throw new DatasetException("dataset path " + dataset + " is a directory without .parquet files; "
                        + "name a file, a folder of Parquet shards or a glob");
            }
        } else if (!Files.exists(dataset)) {
            throw new DatasetException("dataset file not found: " + dataset);
        } else {
            files = List.of(dataset);
        }
        List<DataFile> out = new ArrayList<>(files.size());
        for (Path file : files) {
            FileFormat format = FileFormat.byName(file)
                    .orElseThrow(() -> new DatasetException(
                            file + ": unknown dataset file type; name it " + FileFormat.extensions()));
            format.checkContent(file);
            out.add(new DataFile(file, format));
        }
        return out;
    }

    static boolean isGlob(Path path) {
        return path.toString().chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** Regular files under the glob's fixed leading folder that the whole glob matches, sorted by path. */
    private static List<Path> globMatches(Path glob) {
        Path absolute = glob.toAbsolutePath().normalize();
        Path base = absolute.getRoot();
        int fixed = 0;
        for (Path part : absolute) {
            if (isGlob(part)) {
                break;
            }
            base = base.resolve(part);
            fixed++;
        }
        if (!Files.isDirectory(base)) {
            throw new DatasetException("no dataset file matches " + glob + " (" + base + " is not a folder)");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute);
        return listFiles(base, absolute.getNameCount() - fixed).stream()
                .filter(matcher::matches)
                .toList();
    }

    private static List<Path> listFiles(Path dir, int maxDepth) {
        try (Stream<Path> walk = Files.walk(dir, maxDepth)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new DatasetException("cannot list dataset folder " + dir + ": " + e, e);
        }
    }
}
