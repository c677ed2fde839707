package io.dftune.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One template snippet per Jinja feature that chat templates use (features.json), rendered as Python's Jinja2
 * renders it in the environment transformers sets up (features-expected.json, made by
 * src/test/reference/check-with-jinja2.py), and 300 random templates that mix whitespace control, comments,
 * raw blocks and loops (whitespace-cases.json, made by src/test/reference/whitespace-cases.py).
 */
class JinjaFeaturesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @SuppressWarnings("unchecked")
    void everySnippetRendersAsJinja2RendersIt() throws IOException {
        Map<String, Object> features = read("features.json");
        Map<String, Object> variables = (Map<String, Object>) features.get("variables");
        List<Map<String, String>> expected =
                (List<Map<String, String>>) read("features-expected.json").get("renders");
        List<String> wrong = new ArrayList<>();
        int i = 0;
        for (Map<String, String> t : (List<Map<String, String>>) features.get("templates")) {
            Map<String, String> want = expected.get(i++);
            assertThat(want.get("name")).isEqualTo(t.get("name"));
            String got;
            try {
                got = new ChatTemplate(t.get("template"), Map.of(), RealChatTemplates.FIXTURE_CLOCK)
                        .renderVariables(variables);
            } catch (ChatTemplateException e) {
                got = "ERROR " + e.getMessage();
            }
            if (!got.equals(want.get("text"))) {
                wrong.add(t.get("name") + "\n  expected: " + want.get("text") + "\n  got:      " + got);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void randomWhitespaceControlCasesRenderAsJinja2RendersThem() throws IOException {
        Map<String, Object> file = read("whitespace-cases.json");
        Map<String, Object> variables = (Map<String, Object>) file.get("variables");
        List<String> wrong = new ArrayList<>();
        for (Map<String, String> c : (List<Map<String, String>>) file.get("cases")) {
            String got = new ChatTemplate(c.get("template"), Map.of()).renderVariables(variables);
            if (!got.equals(c.get("text"))) {
                wrong.add(JSON.writeValueAsString(c.get("template")) + "\n  expected: "
                        + JSON.writeValueAsString(c.get("text")) + "\n  got:      " + JSON.writeValueAsString(got));
            }
        }
        assertThat(wrong).hasSize(0);
    }

    private static Map<String, Object> read(String name) throws IOException {
        try (InputStream in = JinjaFeaturesTest.class.getResourceAsStream("/chat-templates/" + name)) {
            return JSON.readValue(in, new TypeReference<>() {});
        }
    }
}
