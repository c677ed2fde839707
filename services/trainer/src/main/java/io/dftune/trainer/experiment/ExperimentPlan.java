package io.dftune.trainer.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dftune.spec.ManifestErrors;
import io.dftune.spec.ObjectiveSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A comparison of objectives: every arm is fine-tuned from one FineTuneJob template at every
 * learning rate with the first seed; the rate with the best validation exact match is then run
 * with the other seeds, and all runs at that rate are scored on every test set.
 *
 * @param name         names the experiment's FineTuneJobs on a cluster (field {@code name}; the
 *                     file's name without extension when not given)
 * @param job          the FineTuneJob template (model, data, training and evaluation settings)
 * @param validation   JSONL set with answers, for choosing each arm's learning rate
 * @param tests        test sets by name, in table order
 * @param output       folder for runs and results (relative paths resolve against the file's folder)
 */
public record ExperimentPlan(
        Path file,
        String name,
        Path job,
        Path validation,
        List<Double> learningRates,
        List<Long> seeds,
        List<Arm> arms,
        Map<String, Path> tests,
        Path output) {

    /** This plan with other test sets (the report's columns). */
    public ExperimentPlan withTests(Map<String, Path> otherTests) {
        return new ExperimentPlan(file, name, job, validation, learningRates, seeds, arms, otherTests, output);
    }

    /** One fine-tuning recipe: an objective, and optionally its own training set. */
    public record Arm(String name, ObjectiveSpec objective, Path train) {}

    /** The file as written; public fields, so that parse errors carry the line of the field. */
    static final class PlanFile {
        public String name;
        public String job;
        public String validation;
        public List<Double> learningRates;
        public List<Long> seeds;
        public List<ArmFile> arms;
        public LinkedHashMap<String, String> tests;
        public String output;
    }

    static final class ArmFile {
        public String name;
        public ObjectiveSpec objective;
        public String train;
    }

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public static ExperimentPlan load(Path file) {
        PlanFile raw;
        try {
            raw = YAML.readValue(Files.readString(file), PlanFile.class);
        } catch (JsonProcessingException e) {
            throw new ExperimentPlanException(
                    ManifestErrors.translate(file.toString(), e).getMessage());
        } catch (IOException e) {
            throw new ExperimentPlanException(file + ": cannot read: " + e.getMessage());
        }
        if (raw == null) {
            throw new ExperimentPlanException(file + ": the file is empty");
        }
        return new Validation(file).check(raw);
    }

    /** Checks every field and resolves paths against the file's folder. */
    private static final class Validation {
        private final Path file;
        private final Path dir;

        Validation(Path file) {
            this.file = file;
            this.dir = file.toAbsolutePath().getParent();
        }

        ExperimentPlan check(PlanFile raw) {
            Path job = existing("job", raw.job);
            Path validation = existing("validation", raw.validation);
            List<Double> rates = required("learningRates", raw.learningRates);
            for (int i = 0; i < rates.size(); i++) {
                if (rates.get(i) == null || !(rates.get(i) > 0)) {
                    fail("learningRates[" + i + "]", "must be > 0");
                }
            }
            List<Long> seeds = required("seeds", raw.seeds);
            if (new HashSet<>(seeds).size() != seeds.size()) {
                fail("seeds", "must not repeat a seed");
            }
            List<ArmFile> armFiles = required("arms", raw.arms);
            Set<String> names = new HashSet<>();
            List<Arm> arms = new java.util.ArrayList<>();
            for (int i = 0; i < armFiles.size(); i++) {
                ArmFile arm = armFiles.get(i);
                String field = "arms[" + i + "]";
                if (arm.name == null || arm.name.isBlank() || !arm.name.matches("[a-z0-9][a-z0-9-]*")) {
                    fail(field + ".name", "must be lower-case letters, digits and '-', got '" + arm.name + "'");
                }
                if (!names.add(arm.name)) {
                    fail(field + ".name", "'" + arm.name + "' is used twice");
                }
                if (arm.objective == null) {
                    fail(field + ".objective", "is required");
                }
                Path train = arm.train == null ? null : existing(field + ".train", arm.train);
                arms.add(new Arm(arm.name, arm.objective, train));
            }
            Map<String, String> testFiles = required("tests", raw.tests);
            Map<String, Path> tests = new LinkedHashMap<>();
            testFiles.forEach((name, path) -> tests.put(name, existing("tests." + name, path)));
            if (raw.output == null || raw.output.isBlank()) {
                fail("output", "is required");
            }
            String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            return new ExperimentPlan(
                    file,
                    raw.name == null ? stem : raw.name,
                    job,
                    validation,
                    List.copyOf(rates),
                    List.copyOf(seeds),
                    List.copyOf(arms),
                    tests,
                    dir.resolve(raw.output).normalize());
        }

        private <T> T required(String field, T value) {
            if (value == null
                    || (value instanceof List<?> list && list.isEmpty())
                    || (value instanceof Map<?, ?> map && map.isEmpty())) {
                fail(field, "is required and must not be empty");
            }
            return value;
        }

        private Path existing(String field, String value) {
            required(field, value);
            Path path = dir.resolve(value).normalize();
            if (!Files.isRegularFile(path)) {
                fail(field, "no such file: " + path);
            }
            return path;
        }

        private void fail(String field, String problem) {
            throw new ExperimentPlanException(file + ": " + field + ": " + problem);
        }
    }
}
