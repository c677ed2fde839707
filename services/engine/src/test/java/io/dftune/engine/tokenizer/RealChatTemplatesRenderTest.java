package io.dftune.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real template renders every conversation byte for byte as the independent Jinja implementations do. */
class RealChatTemplatesRenderTest {

    @ParameterizedTest
    @MethodSource("io.dftune.engine.tokenizer.RealChatTemplates#models")
    void rendersLikeJinja2(String model) {
        RealChatTemplates.Fixture fixture = RealChatTemplates.fixture(model);
        ChatTemplate template =
                new ChatTemplate(fixture.chatTemplate(), fixture.specialTokens(), RealChatTemplates.FIXTURE_CLOCK);
        List<String> wrong = new ArrayList<>();
        int errors = 0;
        for (RealChatTemplates.Case c : RealChatTemplates.cases()) {
            RealChatTemplates.Expected expected = fixture.renders().get(c.name());
            String got;
            try {
                got = template.render(c.conversation(), c.addGenerationPrompt());
            } catch (ChatTemplateException e) {
                got = null;
                if (expected.error() == null) {
                    wrong.add(c.name() + ": failed: " + e.getMessage());
                } else if (fixture.chatTemplate().contains(expected.error())
                        && !e.getMessage().equals("chat template raised an exception: " + expected.error())) {
                    wrong.add(c.name() + ": expected the template's exception \"" + expected.error() + "\", got: "
                            + e.getMessage());
                }
                errors++;
                continue;
            }
            if (expected.error() != null) {
                wrong.add(c.name() + ": expected an error (" + expected.error() + "), got: " + got);
            } else if (!got.equals(expected.text())) {
                wrong.add(c.name() + ":\n--- expected\n" + expected.text() + "\n--- got\n" + got + "\n---");
            }
        }
        assertThat(wrong).as(model).isEmpty();
        assertThat(errors)
                .as("cases that must fail")
                .isLessThan(RealChatTemplates.cases().size());
    }
}
