package io.dftune.spec.run;

/** How an error is reported in one line: on stderr, in a gRPC status, in a FineTuneJob's status. */
public final class ErrorText {
    private ErrorText() {}

    /** The innermost useful message of an error, on one line. */
    public static String oneLine(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.replace('\n', ' ').strip();
    }
}
