package io.dftune.trainer.example;

/** One generated exercise: the prompt, a worked solution ending in {@code #### answer}, and the answer. */
public record Problem(String prompt, String response, String answer) {}
