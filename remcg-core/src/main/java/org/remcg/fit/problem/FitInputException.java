package org.remcg.fit.problem;

/**
 * A configuration, reference or target that a fit cannot use. The message names the file (usually the
 * configuration) and what to change; it is the user's to fix, not an internal failure.
 */
public final class FitInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FitInputException(String message) {
        super(message);
    }
}
