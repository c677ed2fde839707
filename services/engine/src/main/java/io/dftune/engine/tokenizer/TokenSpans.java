package io.dftune.engine.tokenizer;

/**
 * Token ids of a text and where each token lies in it: {@code start[i]} to {@code end[i]} (exclusive), as
 * UTF-16 indexes into the Java string.
 */
public record TokenSpans(int[] ids, int[] start, int[] end) {}
