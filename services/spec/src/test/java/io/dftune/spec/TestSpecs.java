package io.dftune.spec;

/** Specs and manifests shared by the tests. */
final class TestSpecs {
    static final String FULL_MANIFEST =
            """
            apiVersion: dftune.io/v1alpha1
            kind: FineTuneJob
            metadata:
              name: demo
              namespace: default
              labels: {team: nlp}
              annotations: {note: "first run"}
            spec:
              model: {path: ./model}
              data: {train: train.jsonl, eval: eval.jsonl, shuffle: false, answerMarker: "####", maxExamples: 1000,
                     columns: {prompt: problem, response: solution}}
              objective: {type: prob-q, klWeight: 0.1, q: 0.5, beta: 0.7, betaRamp: true}
              training: {maxSteps: 200, epochs: 1, batchSize: 16, microBatchSize: 8, maxLength: 256, learningRate: 1e-4,
                         schedule: linear, warmupRatio: 0.05, weightDecay: 0.02, adamBeta1: 0.8, adamBeta2: 0.99,
                         adamEpsilon: 1e-6, maxGradNorm: 0.5, seed: 7, evalEverySteps: 50, evalMaxExamples: 100,
                         packing: true}
              eval: {maxNewTokens: 32, samples: 16, temperature: 0.7, topP: 0.95, seed: 3, extract: regex,
                     pattern: "answer is (-?[0-9]+)", compare: math}
              checkpoint: {everySteps: 50, keep: 3}
              output: {path: ./output, dtype: bfloat16, maxShardSize: 2GiB}
            """;

    static final String MINIMAL_MANIFEST =
            """
            apiVersion: dftune.io/v1alpha1
            kind: FineTuneJob
            spec:
              model:
                path: /models/base
              data:
                train: /data/train.jsonl
              output:
                path: /runs/out
            """;

    private TestSpecs() {}

    /** A spec that passes validation, relying on defaults for everything optional. */
    static FineTuneJobSpec valid() {
        FineTuneJobSpec spec = new FineTuneJobSpec();
        ModelSpec model = new ModelSpec();
        model.setPath("/models/base");
        spec.setModel(model);
        DataSpec data = new DataSpec();
        data.setTrain("/data/train.jsonl");
        spec.setData(data);
        OutputSpec output = new OutputSpec();
        output.setPath("/runs/out");
        spec.setOutput(output);
        return spec;
    }
}
