package org.remcg.optimize;

/**
 * The model at some parameter vector cannot be used: it cannot be normalized, its samples blew
 * up, or (for sampled ensembles) the stored samples no longer represent it. Optimizers treat
 * such a point as having infinite objective and step back; anywhere else it is a clear error.
 */
public class InadmissibleModelException extends RuntimeException {
    public InadmissibleModelException(String message) {
        super(message);
    }
}
