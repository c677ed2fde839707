package io.dftune.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdapterSpecTest {
    private static final String HEAD =
            """
            apiVersion: dftune.io/v1alpha1
            kind: FineTuneJob
            metadata: {name: lora}
            spec:
              model: {path: /m}
              data: {train: /d.jsonl}
              output: {path: /o}
            """;

    private static FineTuneJobSpec parse(String tail) {
        return FineTuneJobFiles.parse(HEAD + tail, Path.of("/")).getSpec();
    }

    @Test
    void theContractsFieldsRead() {
        FineTuneJobSpec spec = parse(
                """
                  adapter:
                    type: lora
                    rank: 8
                    alpha: 16
                    dropout: 0.1
                    targetModules: [q_proj, v_proj]
                    path: ./adapter
                  training: {precision: bf16, gradientCheckpointing: true}
                """);
        AdapterSpec a = spec.getAdapter();
        assertThat(a.isLora()).isTrue();
        assertThat(a.getRank()).isEqualTo(8);
        assertThat(a.getAlpha()).isEqualTo(16);
        assertThat(a.getDropout()).isEqualTo(0.1);
        assertThat(a.effectiveTargetModules()).containsExactly("q_proj", "v_proj");
        assertThat(a.getPath()).isEqualTo("/adapter");
        assertThat(spec.getTraining().getPrecision()).isEqualTo(Precision.BF16);
        assertThat(spec.getTraining().isGradientCheckpointing()).isTrue();
    }

    @Test
    void withoutAnAdapterSectionEverythingTrainsInFloat32() {
        FineTuneJobSpec spec = parse("");
        assertThat(spec.getAdapter().isLora()).isFalse();
        assertThat(spec.getTraining().getPrecision()).isEqualTo(Precision.FP32);
        assertThat(spec.getTraining().isGradientCheckpointing()).isFalse();
        assertThat(new AdapterSpec().effectiveTargetModules()).isEqualTo(AdapterSpec.LINEAR_MODULES);
    }

    @Test
    void badAdapterSettingsNameTheirField() {
        assertThatThrownBy(
                        () -> parse(
                                """
                          adapter: {type: lora, rank: 0, alpha: 0, dropout: 1.0, targetModules: [q_proj, lm_head]}
                        """))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("spec.adapter.rank")
                .hasMessageContaining("spec.adapter.alpha")
                .hasMessageContaining("spec.adapter.dropout")
                .hasMessageContaining("unknown layer \"lm_head\"");
        assertThatThrownBy(() -> parse("  adapter: {type: lora, targetModules: [all-linear, q_proj]}\n"))
                .hasMessageContaining("all-linear already names every layer");
        assertThatThrownBy(() -> parse("  adapter: {path: /a}\n"))
                .hasMessageContaining("spec.adapter.path: needs spec.adapter.type lora");
        assertThatThrownBy(() -> parse("  adapter: {type: qlora}\n"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("spec.adapter.type");
        assertThatThrownBy(() -> parse("  training: {precision: fp16}\n"))
                .hasMessageContaining("spec.training.precision");
        assertThatThrownBy(() -> FineTuneJobFiles.parse(
                        HEAD.replace("  output: {path: /o}\n", "") + "  output: {path: /o, mergeAdapter: true}\n",
                        Path.of("/")))
                .hasMessageContaining("spec.output.mergeAdapter: needs spec.adapter.type lora");
    }

    @Test
    void anAdapterPathIsAPathField() {
        assertThat(SpecPaths.FIELDS.stream().map(SpecPaths.Field::name).toList())
                .contains("spec.adapter.path");
        FineTuneJobSpec spec = parse("  adapter: {type: lora, path: pvc://adapters/run-1/final}\n");
        LocalVolumes.parse(List.of("adapters=/srv/adapters")).apply(spec);
        assertThat(spec.getAdapter().getPath()).isEqualTo("/srv/adapters/run-1/final");
    }
}
