package io.dftune.engine.tokenizer;

import java.nio.file.Path;

/** Small byte-level tokenizers in the styles the engine must handle, written with ByteLevelTokenizerFiles. */
public final class TokenizerFixtures {

    public static final String CORPUS =
            """
            The quick brown fox jumps over the lazy dog. What is two plus two? Two plus two is four.
            Question: what is the capital of France? Answer: the capital of France is Paris.
            User: hello there. Assistant: hello! How can I help you today?
            """
                    .repeat(8);

    /** Llama-2 style: BOS written per user turn, system prompt folded into the first user message. */
    public static final String LLAMA2_STYLE_TEMPLATE = "{% if messages[0]['role'] == 'system' %}"
            + "{% set loop_messages = messages[1:] %}"
            + "{% set system_message = '<<SYS>>\\n' + messages[0]['content'] | trim + '\\n<</SYS>>\\n\\n' %}"
            + "{% else %}{% set loop_messages = messages %}{% set system_message = '' %}{% endif %}"
            + "{% for message in loop_messages %}"
            + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
            + "{% endif %}"
            + "{% if loop.first %}{% set content = system_message + message['content'] %}"
            + "{% else %}{% set content = message['content'] %}{% endif %}"
            + "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content | trim + ' [/INST]' }}"
            + "{% elif message['role'] == 'assistant' %}{{ ' ' + content | trim + ' ' + eos_token }}{% endif %}"
            + "{% endfor %}";

    private TokenizerFixtures() {}

    /** Qwen2-instruct style: ChatML template, EOS {@code <|im_end|>}, pad {@code <|endoftext|>}, no BOS. */
    public static ByteLevelTokenizerFiles.Written chatml(Path dir) {
        return ByteLevelTokenizerFiles.builder()
                .specialTokens("<|endoftext|>", "<|im_start|>", "<|im_end|>")
                .eosToken("<|im_end|>")
                .padToken("<|endoftext|>")
                .chatTemplate(ByteLevelTokenizerFiles.CHATML_TEMPLATE)
                .trainMerges(CORPUS, 60)
                .write(dir);
    }

    /** Llama-2 style: BOS {@code <s>} with add_bos_token, EOS {@code </s>}, no pad token. */
    public static ByteLevelTokenizerFiles.Written llama(Path dir, boolean withTemplate) {
        return ByteLevelTokenizerFiles.builder()
                .bosToken("<s>")
                .eosToken("</s>")
                .addBosToken(true)
                .chatTemplate(withTemplate ? LLAMA2_STYLE_TEMPLATE : null)
                .trainMerges(CORPUS, 60)
                .write(dir);
    }

    /** A base model: EOS {@code <|endoftext|>} only, no template, no merges. */
    public static ByteLevelTokenizerFiles.Written plain(Path dir) {
        return ByteLevelTokenizerFiles.builder().eosToken("<|endoftext|>").write(dir);
    }
}
