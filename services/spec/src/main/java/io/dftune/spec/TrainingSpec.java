package io.dftune.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Length of training, optimiser, schedule and evaluation cadence. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.maxSteps > 0 || self.epochs > 0",
        message = "epochs must be >= 1 when maxSteps is 0 (set maxSteps or epochs)")
@ValidationRule(
        value = "!has(self.microBatchSize) || self.microBatchSize <= self.batchSize",
        message = "microBatchSize must be <= batchSize")
@ValidationRule(
        value = "!has(self.microBatchSize) || self.batchSize % self.microBatchSize == 0",
        message = "microBatchSize must divide batchSize")
public class TrainingSpec {
    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Optimizer steps to run; 0 derives the count from epochs. Wins over epochs when > 0.")
    private int maxSteps = 0;

    @Min(0)
    @Default("1")
    @JsonPropertyDescription("Passes over the training data; used when maxSteps is 0.")
    private int epochs = 1;

    @Min(1)
    @Default("8")
    @JsonPropertyDescription("Examples per optimizer step.")
    private int batchSize = 8;

    // Boxed: unset means "same as batchSize", which no constant default can express.
    @Min(1)
    @JsonPropertyDescription("Examples per forward/backward pass (with packing: rows of maxLength tokens per pass); "
            + "must divide batchSize. Defaults to batchSize.")
    private Integer microBatchSize;

    @Min(8)
    @Max(1048576)
    @Default("512")
    @JsonPropertyDescription("Maximum tokens per example; longer examples are truncated.")
    private int maxLength = 512;

    @Default("false")
    @JsonPropertyDescription("Pack examples into rows of maxLength tokens without padding; attention and positions "
            + "restart at each example, so results equal those of an unpacked run.")
    private boolean packing = false;

    @Min(value = 0, inclusive = false)
    @Max(1)
    @Default("5.0E-5")
    @JsonPropertyDescription("Peak learning rate.")
    private double learningRate = 5e-5;

    @Default("cosine")
    @JsonPropertyDescription("Learning-rate schedule after warmup: constant, linear or cosine.")
    private Schedule schedule = Schedule.COSINE;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @Default("0.1")
    @JsonPropertyDescription("Fraction of the steps spent warming up linearly from 0.")
    private double warmupRatio = 0.1;

    @Min(0)
    @Default("0.01")
    @JsonPropertyDescription("AdamW decoupled weight decay.")
    private double weightDecay = 0.01;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @Default("0.9")
    @JsonPropertyDescription("AdamW beta1.")
    private double adamBeta1 = 0.9;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @Default("0.95")
    @JsonPropertyDescription("AdamW beta2.")
    private double adamBeta2 = 0.95;

    @Min(value = 0, inclusive = false)
    @Default("1.0E-8")
    @JsonPropertyDescription("AdamW epsilon.")
    private double adamEpsilon = 1e-8;

    @Min(0)
    @Default("1.0")
    @JsonPropertyDescription("Clip the global gradient norm to this value; 0 disables clipping.")
    private double maxGradNorm = 1.0;

    @Default("42")
    @JsonPropertyDescription("Random seed for data order and sampling.")
    private long seed = 42;

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Evaluate every N optimizer steps; 0 evaluates only at the end.")
    private int evalEverySteps = 0;

    @Min(0)
    @Default("0")
    @JsonPropertyDescription("Evaluate on at most N examples; 0 uses all.")
    private int evalMaxExamples = 0;

    @Default("fp32")
    @JsonPropertyDescription(
            "fp32, or bf16: frozen weights in bfloat16, compute in bfloat16 where the device is fast at it.")
    private Precision precision = Precision.FP32;

    @Default("false")
    @JsonPropertyDescription("Keep only each layer's input in the forward pass and recompute the layer in backward.")
    private boolean gradientCheckpointing = false;

    public TrainingSpec() {}

    /** Sets microBatchSize to batchSize when unset. Returns this. */
    public TrainingSpec applyDefaults() {
        if (microBatchSize == null) {
            microBatchSize = batchSize;
        }
        return this;
    }

    /** microBatchSize, or batchSize when unset; never null. */
    public int effectiveMicroBatchSize() {
        return microBatchSize != null ? microBatchSize : batchSize;
    }

    /** Micro-batches accumulated per optimizer step; meaningful once the spec is valid. */
    public int gradientAccumulationSteps() {
        return batchSize / effectiveMicroBatchSize();
    }

    public int getMaxSteps() {
        return maxSteps;
    }

    public void setMaxSteps(int maxSteps) {
        this.maxSteps = maxSteps;
    }

    public int getEpochs() {
        return epochs;
    }

    public void setEpochs(int epochs) {
        this.epochs = epochs;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Null only before {@link #applyDefaults()}; use {@link #effectiveMicroBatchSize()} if unsure. */
    public Integer getMicroBatchSize() {
        return microBatchSize;
    }

    public void setMicroBatchSize(Integer microBatchSize) {
        this.microBatchSize = microBatchSize;
    }

    public int getMaxLength() {
        return maxLength;
    }

    public void setMaxLength(int maxLength) {
        this.maxLength = maxLength;
    }

    public boolean isPacking() {
        return packing;
    }

    public void setPacking(boolean packing) {
        this.packing = packing;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public Schedule getSchedule() {
        return schedule;
    }

    public void setSchedule(Schedule schedule) {
        this.schedule = schedule;
    }

    public double getWarmupRatio() {
        return warmupRatio;
    }

    public void setWarmupRatio(double warmupRatio) {
        this.warmupRatio = warmupRatio;
    }

    public double getWeightDecay() {
        return weightDecay;
    }

    public void setWeightDecay(double weightDecay) {
        this.weightDecay = weightDecay;
    }

    public double getAdamBeta1() {
        return adamBeta1;
    }

    public void setAdamBeta1(double adamBeta1) {
        this.adamBeta1 = adamBeta1;
    }

    public double getAdamBeta2() {
        return adamBeta2;
    }

    public void setAdamBeta2(double adamBeta2) {
        this.adamBeta2 = adamBeta2;
    }

    public double getAdamEpsilon() {
        return adamEpsilon;
    }

    public void setAdamEpsilon(double adamEpsilon) {
        this.adamEpsilon = adamEpsilon;
    }

    public double getMaxGradNorm() {
        return maxGradNorm;
    }

    public void setMaxGradNorm(double maxGradNorm) {
        this.maxGradNorm = maxGradNorm;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public int getEvalEverySteps() {
        return evalEverySteps;
    }

    public void setEvalEverySteps(int evalEverySteps) {
        this.evalEverySteps = evalEverySteps;
    }

    public int getEvalMaxExamples() {
        return evalMaxExamples;
    }

    public void setEvalMaxExamples(int evalMaxExamples) {
        this.evalMaxExamples = evalMaxExamples;
    }

    public Precision getPrecision() {
        return precision;
    }

    public void setPrecision(Precision precision) {
        this.precision = precision;
    }

    public boolean isGradientCheckpointing() {
        return gradientCheckpointing;
    }

    public void setGradientCheckpointing(boolean gradientCheckpointing) {
        this.gradientCheckpointing = gradientCheckpointing;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingSpec t
                && maxSteps == t.maxSteps
                && epochs == t.epochs
                && batchSize == t.batchSize
                && Objects.equals(microBatchSize, t.microBatchSize)
                && maxLength == t.maxLength
                && Double.compare(learningRate, t.learningRate) == 0
                && schedule == t.schedule
                && Double.compare(warmupRatio, t.warmupRatio) == 0
                && Double.compare(weightDecay, t.weightDecay) == 0
                && Double.compare(adamBeta1, t.adamBeta1) == 0
                && Double.compare(adamBeta2, t.adamBeta2) == 0
                && Double.compare(adamEpsilon, t.adamEpsilon) == 0
                && Double.compare(maxGradNorm, t.maxGradNorm) == 0
                && seed == t.seed
                && evalEverySteps == t.evalEverySteps
                && evalMaxExamples == t.evalMaxExamples
                && packing == t.packing
                && precision == t.precision
                && gradientCheckpointing == t.gradientCheckpointing;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                maxSteps,
                epochs,
                batchSize,
                microBatchSize,
                maxLength,
                learningRate,
                schedule,
                warmupRatio,
                weightDecay,
                adamBeta1,
                adamBeta2,
                adamEpsilon,
                maxGradNorm,
                seed,
                evalEverySteps,
                evalMaxExamples,
                packing,
                precision,
                gradientCheckpointing);
    }
}
