package io.dftune.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {

    private static final Map<String, String> TOKENS = Map.of("bos_token", "<s>", "eos_token", "</s>");
    private static final List<ChatMessage> CHAT = List.of(
            ChatMessage.system("  You are terse.  "),
            ChatMessage.user("What is 2+2?"),
            ChatMessage.assistant(" 4 "),
            ChatMessage.user("And 3+3?"));

    private static String render(String template, List<ChatMessage> messages, boolean generationPrompt) {
        return new ChatTemplate(template, TOKENS).render(messages, generationPrompt);
    }

    private static String render(String template) {
        return render(template, CHAT, false);
    }

    @Test
    void chatMlWithAndWithoutGenerationPrompt() {
        String t = ByteLevelTokenizerFiles.CHATML_TEMPLATE;
        List<ChatMessage> two = CHAT.subList(1, 3);
        assertThat(render(t, two, false))
                .isEqualTo("<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n 4 <|im_end|>\n");
        assertThat(render(t, two.subList(0, 1), true))
                .isEqualTo("<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void llama2StyleTemplateWithSystemPromptTrimAndSlicing() {
        String out = render(TokenizerFixtures.LLAMA2_STYLE_TEMPLATE);
        assertThat(out)
                .isEqualTo("<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nWhat is 2+2? [/INST] 4 </s>"
                        + "<s>[INST] And 3+3? [/INST]");
        assertThat(render(TokenizerFixtures.LLAMA2_STYLE_TEMPLATE, CHAT.subList(1, 3), false))
                .isEqualTo("<s>[INST] What is 2+2? [/INST] 4 </s>");
    }

    @Test
    void raiseExceptionFailsWithTheTemplatesMessage() {
        List<ChatMessage> twoUsers = List.of(ChatMessage.user("a"), ChatMessage.user("b"));
        assertThatThrownBy(() -> render(TokenizerFixtures.LLAMA2_STYLE_TEMPLATE, twoUsers, false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("chat template raised an exception: "
                        + "Conversation roles must alternate user/assistant/user/assistant/...");
    }

    @Test
    void loopVariablesAndIndexing() {
        assertThat(
                        render(
                                "{% for m in messages %}{% if loop.first %}F{% endif %}{{ loop.index0 }}"
                                        + "{% if loop.last %}L{% endif %}{% endfor %}|{{ messages[0]['role'] }}|{{ messages[-1].role }}"
                                        + "|{{ messages[1:]|length }}|{{ messages[1]['content'][:4] }}|{{ messages[1]['content'][-2:] }}"))
                .isEqualTo("F0123L|system|user|3|What|2?");
    }

    @Test
    void pythonStringMethods() {
        assertThat(render("[{{ messages[0].content.strip() }}][{{ messages[0].content.lstrip() }}]"
                        + "[{{ messages[0].content.rstrip() }}][{{ 'xxaxx'.strip('x') }}]"))
                .isEqualTo("[You are terse.][You are terse.  ][  You are terse.][a]");
        assertThat(render("{{ messages[1].content.startswith('What') }} {{ messages[1].content.endswith('!') }}"
                        + " {{ 'abc'.startswith(('x', 'a')) }}"))
                .isEqualTo("True False True");
        assertThat(render("{{ 'Hi There'.upper() }} {{ 'Hi There'.lower() }} {{ 'hello wORLD'.title() }}"
                        + " {{ 'hELLO'.capitalize() }}"))
                .isEqualTo("HI THERE hi there Hello World Hello");
        assertThat(render("{{ '<think>a</think>\\n\\nAnswer'.split('</think>')[-1].lstrip('\\n') }}|"
                        + "{{ ' a  b '.split()|length }}|{{ 'a,b,c'.split(',', 1)[1] }}|{{ '-'.join(['x', 'y']) }}|"
                        + "{{ 'a\\nb\\n'.splitlines()|length }}|{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'abcb'.find('b') }}|"
                        + "{{ 'abcb'.count('b') }}"))
                .isEqualTo("Answer|2|b,c|x-y|2|bba|1|2");
    }

    @Test
    void indexesIntoStrings() {
        assertThat(render("{{ messages[1].content[0] }}{{ messages[1].content[-1] }}"))
                .isEqualTo("W?");
        // As in Jinja2, an index out of range is undefined, which prints as nothing.
        assertThat(render("[{{ 'ab'[5] }}]")).isEqualTo("[]");
    }

    @Test
    void reverseSliceNamespaceAndGenerationBlock() {
        assertThat(render("{% for m in messages[::-1] %}{{ m.role[0] }}{% endfor %}"))
                .isEqualTo("uaus");
        assertThat(render("{% set ns = namespace(last=-1) %}{% for m in messages %}{% if m.role == 'user' %}"
                        + "{% set ns.last = loop.index0 %}{% endif %}{% endfor %}{{ ns.last }}"))
                .isEqualTo("3");
        assertThat(render("{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}"
                        + "{{ m.content }}{% endgeneration %}{% endif %}{% endfor %}"))
                .isEqualTo(" 4 ");
    }

    @Test
    void trimsBlocksLikeTransformers() {
        String template =
                """
                {% for m in messages %}
                    {% if m.role == 'user' %}
                U:{{ m.content }}
                    {% endif %}
                {% endfor %}
                """;
        assertThat(render(template)).isEqualTo("U:What is 2+2?\nU:And 3+3?\n");
        // lstrip_blocks only strips from a line start: whitespace before a tag in mid-line stays.
        assertThat(render("Assistant: {% if true %}x {% endif %}|\n  {# note #}y"))
                .isEqualTo("Assistant: x |\ny");
    }

    @Test
    void specialTokenVariablesAndJson() {
        assertThat(render("{{ bos_token }}{{ eos_token }}{{ messages[1] | tojson }}"))
                .isEqualTo("<s></s>{\"role\": \"user\", \"content\": \"What is 2+2?\"}");
        assertThat(render("{% if tools is defined %}T{% else %}none{% endif %}"))
                .isEqualTo("none");
    }

    @Test
    void loopFiltersCountOnlyTheItemsTheyKeep() {
        assertThat(render("{% for m in messages if m.role != 'system' %}{{ loop.index }}{{ m.role[0] }}"
                        + "{% if loop.last %}!{% endif %}{% endfor %}"))
                .isEqualTo("1u2a3u!");
        // An inline conditional in the iterable is not a loop filter.
        assertThat(render("{% for m in (messages if true else []) %}x{% endfor %}"))
                .isEqualTo("xxxx");
    }

    @Test
    void errorsInsideFiltersAndMethodsNameTheTemplateLine() {
        assertThatThrownBy(() -> render("line one\n{{ messages[0].content.split(3) }}"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageStartingWith("chat template failed (template line 2): ");
        assertThatThrownBy(() -> render("{{ messages | tojson }}\n\n{{ 1 | join }}"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageStartingWith("chat template failed (template line 3): ");
    }

    @Test
    void messageContentIsDataNotTemplateCode() {
        assertThat(render("{{ messages[0].content }}", List.of(ChatMessage.user("{{ 7 * 6 }} {% raw %}")), false))
                .isEqualTo("{{ 7 * 6 }} {% raw %}");
    }

    @Test
    void syntaxErrorsAreReported() {
        assertThatThrownBy(() -> render("{{ messages[0]['role' }}"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("cannot parse the chat template (template line 1): expected ']', got '}}'");
        assertThatThrownBy(() -> render("{% for m in messages %}x"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("endfor");
    }

    @Test
    void aRenderSeesNothingAnEarlierRenderSet() {
        ChatTemplate t = new ChatTemplate(
                "{% if seen is defined or m is defined %}LEAK{% endif %}{% set seen = 1 %}"
                        + "{% macro m() %}x{% endmacro %}{{ messages|length }}",
                TOKENS);
        assertThat(t.render(CHAT, false)).isEqualTo("4");
        assertThat(t.render(CHAT.subList(0, 1), false)).isEqualTo("1");
    }

    @Test
    void rendersFromManyThreadsAsFromOne() {
        ChatTemplate t = new ChatTemplate(TokenizerFixtures.LLAMA2_STYLE_TEMPLATE, TOKENS);
        List<List<ChatMessage>> chats = IntStream.range(0, 1000)
                .mapToObj(i -> List.of(
                        ChatMessage.system("s" + i),
                        ChatMessage.user("q" + i),
                        ChatMessage.assistant("a" + i),
                        ChatMessage.user("r" + i)))
                .toList();
        List<String> one = chats.stream().map(c -> t.render(c, true)).toList();
        List<String> many = chats.parallelStream().map(c -> t.render(c, true)).toList();
        assertThat(many).isEqualTo(one);
        assertThat(one.get(7)).isEqualTo("<s>[INST] <<SYS>>\ns7\n<</SYS>>\n\nq7 [/INST] a7 </s><s>[INST] r7 [/INST]");
    }

    @Test
    void strftimeDirectives() {
        LocalDateTime t = LocalDateTime.of(2024, 7, 5, 14, 3, 9);
        assertThat(TemplateFunctions.strftime(t, "%d %b %Y")).isEqualTo("05 Jul 2024");
        assertThat(TemplateFunctions.strftime(t, "%-d %B %y, %H:%M:%S %A 100%%"))
                .isEqualTo("5 July 24, 14:03:09 Friday 100%");
        assertThat(render("{{ strftime_now('%Y') }}"))
                .isEqualTo(String.valueOf(LocalDateTime.now().getYear()));
    }
}
