package org.remcg.density;

/** The model exp(-U) has no finite, positive integral over its domain (or it cannot be computed to the required accuracy). */
public class NotNormalizableException extends org.remcg.optimize.InadmissibleModelException {
    public NotNormalizableException(String message) {
        super(message);
    }
}
