package io.dftune.trainer.experiment;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dftune.engine.data.DatasetLoader;
import io.dftune.engine.data.DatasetOptions;
import io.dftune.engine.eval.Evaluator;
import io.dftune.engine.io.AtomicDirectory;
import io.dftune.engine.model.CausalLm;
import io.dftune.engine.model.ModelDirectory;
import io.dftune.engine.nd.EngineStartup;
import io.dftune.engine.objective.ResponseLoss;
import io.dftune.engine.tokenizer.ModelTokenizer;
import io.dftune.engine.train.LaunchedRun;
import io.dftune.engine.train.RunLauncher;
import io.dftune.engine.train.RunOutcome;
import io.dftune.engine.train.RunResult;
import io.dftune.engine.train.TrainingListener;
import io.dftune.engine.train.TrainingResources;
import io.dftune.spec.FineTuneJob;
import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.FineTuneJobSpec;
import io.dftune.spec.LocalVolumes;
import io.dftune.spec.SpecValidator;
import io.dftune.spec.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link ExperimentPlan} one fine-tune at a time. Every finished piece (a run's validation
 * score, its test scores, the base model's scores) is written to its own file as soon as it is
 * known, so a stopped experiment started again picks up where it stopped.
 */
public final class ExperimentRunner {
    /** Where the runner reports what it is doing. */
    public interface Progress {
        void message(String text);

        TrainingListener runStarting(RunKey key, int index, int total);
    }

    private static final RunLauncher LAUNCHER = new RunLauncher();
    private static final String VALIDATION = "validation.json";
    private static final String TESTS = "tests.json";
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ExperimentPlan plan;
    private final Progress progress;
    private final LocalVolumes volumes;
    /** The job template as written, read once, for the settings every run and evaluation shares. */
    private final FineTuneJobSpec shared;

    public ExperimentRunner(ExperimentPlan plan, Progress progress) {
        this(plan, LocalVolumes.parse(List.of()), progress);
    }

    /** {@code volumes}: the local folders of the claims the job template's {@code pvc://} paths name. */
    public ExperimentRunner(ExperimentPlan plan, LocalVolumes volumes, Progress progress) {
        this.plan = plan;
        this.volumes = volumes;
        this.progress = progress;
        this.shared = template().getSpec();
    }

    public ExperimentResults run() {
        RunScores base = scoreBase();
        int total = RunSelection.total(plan);
        int index = 0;
        Map<RunKey, RunScores> runs = new LinkedHashMap<>();
        for (ExperimentPlan.Arm arm : plan.arms()) {
            List<RunScores> sweep = new ArrayList<>();
            for (RunKey key : RunSelection.sweep(plan, arm)) {
                RunScores scores = train(arm, key, ++index, total);
                runs.put(key, scores);
                sweep.add(scores);
            }
            for (RunKey key : RunSelection.atRate(plan, arm, RunSelection.bestRate(sweep))) {
                RunScores validated = runs.containsKey(key) ? runs.get(key) : train(arm, key, ++index, total);
                runs.put(key, new RunScores(key, validated.validation(), scoreTests(key)));
            }
        }
        Map<RunKey, List<CurvePoint>> curves = new LinkedHashMap<>();
        runs.keySet()
                .forEach(key -> curves.put(
                        key, MetricsFileCurve.read(new RunDirectory(key.directory(plan.output())).metricsFile())));
        return ExperimentResults.assemble(plan, base, runs, curves, List.of());
    }

    private RunScores scoreBase() {
        Path dir = plan.output().resolve("base");
        Path modelDir = Path.of(shared.getModel().getPath());
        Score validation = cached(dir.resolve(VALIDATION), Score.class, () -> {
            progress.message("scoring the base model on the validation set");
            return scoreModel(modelDir, Map.of("validation", plan.validation())).get("validation");
        });
        Map<String, Score> tests = cached(dir.resolve(TESTS), new TypeReference<>() {}, () -> {
            progress.message("scoring the base model on the test sets");
            return scoreModel(modelDir, plan.tests());
        });
        return new RunScores(new RunKey("base", 0, 0), validation, tests);
    }

    private RunScores train(ExperimentPlan.Arm arm, RunKey key, int index, int total) {
        Path dir = key.directory(plan.output());
        Score validation = cached(dir.resolve(VALIDATION), Score.class, () -> {
            FineTuneJobSpec spec = runSpec(arm, key, dir);
            deleteQuietly(dir);
            try (LaunchedRun run = LAUNCHER.prepare(spec)) {
                RunResult result = run.run(progress.runStarting(key, index, total));
                if (result.outcome() != RunOutcome.SUCCEEDED) {
                    throw new IllegalStateException(key.label() + " stopped: " + result.outcome());
                }
                TrainingResources resources = run.resources();
                Evaluator evaluator = evaluator(resources.tokenizer());
                return Score.of(evaluator.evaluate(
                        resources.model(),
                        DatasetLoader.load(plan.validation(), resources.tokenizer(), maxLength(), datasetOptions())
                                .examples(),
                        0));
            }
        });
        return new RunScores(key, validation, Map.of());
    }

    private Map<String, Score> scoreTests(RunKey key) {
        Path dir = key.directory(plan.output());
        return cached(dir.resolve(TESTS), new TypeReference<>() {}, () -> {
            progress.message("scoring " + key.label() + " on the test sets");
            return scoreModel(new RunDirectory(dir).finalModel(), plan.tests());
        });
    }

    private Map<String, Score> scoreModel(Path modelDir, Map<String, Path> sets) {
        Map<String, Score> scores = new LinkedHashMap<>();
        try (NDManager root = EngineStartup.newBaseManager();
                ModelTokenizer tokenizer = ModelTokenizer.load(modelDir);
                CausalLm model = ModelDirectory.loadModelOrAdapter(modelDir, null, root)) {
            Evaluator evaluator = evaluator(tokenizer);
            sets.forEach((name, file) -> scores.put(
                    name,
                    Score.of(evaluator.evaluate(
                            model,
                            DatasetLoader.load(file, tokenizer, maxLength(), datasetOptions())
                                    .examples(),
                            0))));
        }
        return scores;
    }

    /** The template's column map, for every set the experiment scores. */
    private DatasetOptions datasetOptions() {
        return DatasetOptions.eval(template().getSpec().getData());
    }

    private FineTuneJobSpec runSpec(ExperimentPlan.Arm arm, RunKey key, Path dir) {
        FineTuneJobSpec spec = template().getSpec();
        spec.setObjective(arm.objective());
        if (arm.train() != null) {
            spec.getData().setTrain(arm.train().toString());
        }
        spec.getData().setEval(null);
        spec.getTraining().setLearningRate(key.learningRate());
        spec.getTraining().setSeed(key.seed());
        spec.getTraining().setEvalEverySteps(0);
        spec.getCheckpoint().setEverySteps(0);
        spec.getOutput().setPath(dir.toString());
        return SpecValidator.validateOrThrow(spec);
    }

    /** A fresh copy of the template, for a run to change. */
    private FineTuneJob template() {
        FineTuneJob job = FineTuneJobFiles.load(plan.job());
        volumes.apply(job.getSpec());
        return job;
    }

    private int maxLength() {
        return shared.getTraining().getMaxLength();
    }

    private Evaluator evaluator(ModelTokenizer tokenizer) {
        return new Evaluator(
                new ResponseLoss(ResponseLoss.DEFAULT_CHUNK_TOKENS),
                tokenizer,
                shared.getTraining().getMicroBatchSize(),
                0,
                shared.getEval(),
                shared.getData().getAnswerMarker());
    }

    private interface Computation<T> {
        T compute();
    }

    private <T> T cached(Path file, Class<T> type, Computation<T> computation) {
        return cached(file, json.getTypeFactory().constructType(type), computation);
    }

    private <T> T cached(Path file, TypeReference<T> type, Computation<T> computation) {
        return cached(file, json.getTypeFactory().constructType(type), computation);
    }

    private <T> T cached(Path file, com.fasterxml.jackson.databind.JavaType type, Computation<T> computation) {
        try {
            if (Files.isRegularFile(file)) {
                return json.readValue(file.toFile(), type);
            }
            T value = computation.compute();
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            json.writeValue(temp.toFile(), value);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            AtomicDirectory.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
    }
}
