package io.dftune.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and writes FineTuneJob manifests. A loaded job has been checked (apiVersion, kind),
 * had its relative local paths resolved against the manifest's folder, been defaulted
 * ({@link FineTuneJobSpec#applyDefaults()}) and validated ({@link SpecValidator}), so every
 * getter of its spec returns the effective value.
 */
public final class FineTuneJobFiles {
    private static final String INLINE_SOURCE = "manifest";

    private FineTuneJobFiles() {}

    /**
     * @throws ManifestException the file is missing, unreadable or not a well-formed FineTuneJob
     * @throws InvalidSpecException the spec breaks validation rules
     */
    public static FineTuneJob load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ManifestException("job file not found: " + file, e);
        } catch (CharacterCodingException e) {
            throw new ManifestException("cannot read job file " + file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new ManifestException("cannot read job file " + file + ": " + e, e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir, file.toString());
    }

    /**
     * Parses manifest text held in memory; relative local paths resolve against {@code baseDir}.
     *
     * @throws ManifestException the text is not a well-formed FineTuneJob
     * @throws InvalidSpecException the spec breaks validation rules
     */
    public static FineTuneJob parse(String yaml, Path baseDir) {
        return parse(yaml, baseDir, INLINE_SOURCE);
    }

    private static FineTuneJob parse(String yaml, Path baseDir, String source) {
        FineTuneJob job = read(yaml, source);
        SpecPathResolver.resolve(job.getSpec(), baseDir);
        // Validated before defaulting so an unset microBatchSize is not blamed for a bad batchSize.
        var violations = SpecValidator.validate(job.getSpec());
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(source, violations);
        }
        job.getSpec().applyDefaults();
        return job;
    }

    private static FineTuneJob read(String yaml, String source) {
        FineTuneJob job;
        try {
            job = SpecMapper.YAML.readValue(yaml, FineTuneJob.class);
        } catch (JsonProcessingException e) {
            throw ManifestErrors.translate(source, e);
        }
        if (job == null) {
            throw new ManifestException(source + ": empty manifest");
        }
        requireEqual(source, "apiVersion", FineTuneJob.API_VERSION, job.getApiVersion());
        requireEqual(source, "kind", FineTuneJob.KIND, job.getKind());
        if (job.getSpec() == null) {
            throw new ManifestException(source + ": spec is missing");
        }
        return job;
    }

    private static void requireEqual(String source, String field, String expected, String actual) {
        if (actual == null) {
            throw new ManifestException(source + ": " + field + " is missing; expected \"" + expected + "\"");
        }
        if (!expected.equals(actual)) {
            throw new ManifestException(
                    source + ": " + field + " must be \"" + expected + "\", got \"" + actual + "\"");
        }
    }

    /** The manifest as YAML, readable by {@link #parse(String, Path)}. */
    public static String toYaml(FineTuneJob job) {
        return write(SpecMapper.YAML, job);
    }

    /** The manifest as indented JSON, also readable by {@link #parse(String, Path)}. */
    public static String toJson(FineTuneJob job) {
        return write(SpecMapper.JSON, job);
    }

    private static String write(ObjectMapper mapper, FineTuneJob job) {
        try {
            return mapper.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            // Only reachable through a broken custom serializer: these POJOs always serialize.
            throw new UncheckedIOException(e);
        }
    }
}
